package io.github.cancellablesoap.server;

import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * A test endpoint without {@link HostedBy}: served only by hosts that serve unbound
 * endpoints.
 */
@Endpoint
class UnboundEndpoint {

	@PayloadRoot(namespace = WorkEndpoint.NAMESPACE, localPart = "Unbound")
	@ResponsePayload
	Element unbound(@RequestPayload Element request, OperationContext context) {
		Element response = request.getOwnerDocument().createElementNS(WorkEndpoint.NAMESPACE, "t:UnboundResponse");
		response.setAttribute("operationId", OperationContext.current().operationId());
		return response;
	}

}
