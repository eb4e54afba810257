package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ws.WebServiceMessageFactory;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.transport.http.WebServiceMessageReceiverHandlerAdapter;

import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * What a host's intake needs to serve one request, once its servlet is initialised.
 *
 * @param host the host
 * @param detector how to notice that a caller went away
 * @param messageFactory the factory of SOAP messages
 * @param adapter runs a request through a message receiver over HTTP
 * @param dispatcher the host's Spring WS message receiver
 */
record Intake(DefaultServiceHost host, CallerGoneDetector detector, WebServiceMessageFactory messageFactory,
		WebServiceMessageReceiverHandlerAdapter adapter, HostMessageDispatcher dispatcher) {

	/**
	 * Answer HTTP 503 with the rejection fault.
	 */
	void reject(HttpServletResponse response, String text, HostState hostState, ListenerState listenerState)
			throws IOException {
		SoapMessage message = (SoapMessage) this.messageFactory.createWebServiceMessage();
		CancellationFaults.addRejectedFault(message, this.host.name(), text, hostState, listenerState);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		message.writeTo(bytes);
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setContentType(message.getVersion().getContentType() + ";charset=UTF-8");
		response.setContentLength(bytes.size());
		response.getOutputStream().write(bytes.toByteArray());
	}

}
