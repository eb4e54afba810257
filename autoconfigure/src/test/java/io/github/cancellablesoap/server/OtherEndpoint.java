package io.github.cancellablesoap.server;

import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * A test endpoint bound to host "other".
 */
@Endpoint
@HostedBy("other")
class OtherEndpoint {

	@PayloadRoot(namespace = WorkEndpoint.NAMESPACE, localPart = "Other")
	@ResponsePayload
	Element other(@RequestPayload Element request, OperationContext context) {
		Element response = request.getOwnerDocument().createElementNS(WorkEndpoint.NAMESPACE, "t:OtherResponse");
		response.setAttribute("host", "other");
		return response;
	}

}
