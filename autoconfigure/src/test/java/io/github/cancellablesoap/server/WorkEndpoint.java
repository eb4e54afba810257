package io.github.cancellablesoap.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * A test endpoint of host "main" whose request says how it behaves: {@code echo} answers
 * at once, {@code cancel} waits (bounded) for its cancellation, {@code gate} waits
 * (bounded) for the test to open the probe's gate, {@code stubborn} ignores cancellation
 * and waits (bounded) until interrupted.
 */
@Endpoint
@HostedBy("main")
class WorkEndpoint {

	static final String NAMESPACE = "urn:test";

	private final Probe probe;

	WorkEndpoint(Probe probe) {
		this.probe = probe;
	}

	@PayloadRoot(namespace = NAMESPACE, localPart = "Work")
	@ResponsePayload
	Element work(@RequestPayload Element request, OperationContext context) throws InterruptedException {
		String mode = request.getAttribute("mode");
		String id = context.operationId();
		CountDownLatch cancelled = new CountDownLatch(1);
		if (!"echo".equals(mode)) {
			context.onCancel((reason) -> {
				this.probe.cancelled(id, reason);
				cancelled.countDown();
			});
			context.onComplete(() -> this.probe.completed.add(id));
			this.probe.started.add(id);
		}
		switch (mode) {
			case "cancel" -> cancelled.await(10, TimeUnit.SECONDS);
			case "gate" -> this.probe.gate.await(10, TimeUnit.SECONDS);
			case "stubborn" -> {
				try {
					new CountDownLatch(1).await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					this.probe.interrupted.add(id);
					Thread.currentThread().interrupt();
				}
			}
			case "overflow" -> recurse(0);
			default -> {
			}
		}
		Document document = request.getOwnerDocument();
		Element response = document.createElementNS(NAMESPACE, "t:WorkResponse");
		response.setAttribute("operationId", id);
		response.setAttribute("callerCallId", context.callerCallId().orElse(""));
		return response;
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

}
