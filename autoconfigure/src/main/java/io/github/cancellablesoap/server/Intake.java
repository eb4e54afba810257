package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.soap.SoapMessage;

import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * What a host's intake needs to serve one request, once its servlet is initialised, and
 * the host's own answers (rejection, refusal, failure) written as SOAP faults in the
 * request's SOAP version. Immutable; its methods are thread-safe, each writing only to
 * the response it is given.
 *
 * @param host the host
 * @param detector how to notice that a caller went away
 * @param dialects the SOAP versions the host speaks, with their factories and adapters
 * @param dispatcher the host's Spring WS message receiver
 * @param hooks where the intake calls out between admission and dispatch
 * @param wsdl what the host answers to {@code GET <path>?wsdl}
 */
record Intake(DefaultServiceHost host, CallerGoneDetector detector, SoapDialects dialects,
		HostMessageDispatcher dispatcher, IntakeHooks hooks, WsdlPublication wsdl) {

	/**
	 * The same intake, calling out to other hooks.
	 * @param value the hooks
	 * @return the new intake
	 */
	Intake withHooks(IntakeHooks value) {
		return new Intake(this.host, this.detector, this.dialects, this.dispatcher, value, this.wsdl);
	}

	/**
	 * Answer the host's rejection status with the rejection fault: 503 with
	 * {@code Retry-After}, or 500 (see {@link HostWire}).
	 * @param dialect the request's SOAP version
	 * @param response the response, not committed
	 * @param text the fault string
	 * @param hostState the host's state
	 * @param listenerState the listener's state
	 */
	void reject(SoapDialects.Dialect dialect, HttpServletResponse response, String text, HostState hostState,
			ListenerState listenerState) throws IOException {
		SoapMessage message = dialect.createMessage();
		CancellationFaults.addRejectedFault(message, this.host.name(), text, hostState, listenerState);
		HostWire wire = this.host.settings().wire();
		if (wire.rejectionStatus() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
			// before the body: writing all of a body of known length commits the response
			response.setHeader("Retry-After", Long.toString(wire.retryAfterSeconds()));
		}
		write(response, wire.rejectionStatus(), message, false);
	}

	/**
	 * Answer a 4xx status with the fault that refuses a request for what it carries; the
	 * connection is closed after the answer when the rest of the body is not to be read.
	 * @param dialect the request's SOAP version
	 * @param response the response, not committed
	 * @param status the HTTP status
	 * @param reason one of {@link CancellationFaults#REFUSED_REASONS}
	 * @param text the fault string
	 * @param close whether to close the connection after the answer
	 */
	void refuse(SoapDialects.Dialect dialect, HttpServletResponse response, int status, String reason, String text,
			boolean close) throws IOException {
		SoapMessage message = dialect.createMessage();
		CancellationFaults.addRefusedFault(message, this.host.name(), reason, text);
		write(response, status, message, close);
	}

	/**
	 * Answer HTTP 500 with the fault of a request that failed in the host.
	 * @param dialect the request's SOAP version
	 * @param response the response, not committed
	 * @param operationId the failed operation's id, or {@code null} when it failed before
	 * it had one
	 */
	void failed(SoapDialects.Dialect dialect, HttpServletResponse response, @Nullable String operationId)
			throws IOException {
		SoapMessage message = dialect.createMessage();
		CancellationFaults.addFailedFault(message, this.host.name(), operationId);
		write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, message, false);
	}

	private static void write(HttpServletResponse response, int status, SoapMessage message, boolean close)
			throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		message.writeTo(bytes);
		response.resetBuffer();
		response.setStatus(status);
		if (close) {
			response.setHeader("Connection", "close");
		}
		response.setContentType(message.getVersion().getContentType() + ";charset=UTF-8");
		response.setContentLength(bytes.size());
		response.getOutputStream().write(bytes.toByteArray());
	}

}
