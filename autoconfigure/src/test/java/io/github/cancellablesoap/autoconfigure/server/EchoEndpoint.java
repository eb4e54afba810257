package io.github.cancellablesoap.autoconfigure.server;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.server.OperationContext;
import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * The endpoint the host tests call: answers {@code Echo} with an {@code EchoResponse}
 * that carries the operation's id, and counts its calls. Import it into a test
 * application with {@code @Import(EchoEndpoint.class)}.
 */
@Endpoint
class EchoEndpoint {

	static final String NAMESPACE = "urn:echo";

	/** The request payload. */
	static final String ECHO = "<e:Echo xmlns:e=\"" + NAMESPACE + "\"/>";

	final AtomicInteger calls = new AtomicInteger();

	@PayloadRoot(namespace = NAMESPACE, localPart = "Echo")
	@ResponsePayload
	Element echo(@RequestPayload Element request, OperationContext context) {
		this.calls.incrementAndGet();
		Element response = request.getOwnerDocument().createElementNS(NAMESPACE, "e:EchoResponse");
		response.setAttribute("operationId", context.operationId());
		return response;
	}

}
