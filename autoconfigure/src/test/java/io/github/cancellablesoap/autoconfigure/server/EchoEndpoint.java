package io.github.cancellablesoap.autoconfigure.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * The endpoint the host tests call: answers {@code Echo} with an {@code EchoResponse}
 * that carries the operation's id, and counts its calls; a {@code Wait} waits (bounded)
 * for its cancellation and records why and on which thread it was cancelled. Import it
 * into a test application with {@code @Import(EchoEndpoint.class)}.
 */
@Endpoint
class EchoEndpoint {

	static final String NAMESPACE = "urn:echo";

	/** The request payload. */
	static final String ECHO = "<e:Echo xmlns:e=\"" + NAMESPACE + "\"/>";

	/** A request that waits, at most ten seconds, for its cancellation. */
	static final String WAIT = "<e:Wait xmlns:e=\"" + NAMESPACE + "\"/>";

	final AtomicInteger calls = new AtomicInteger();

	/** Counted down by every {@code Wait} that started waiting. */
	final CountDownLatch waiting = new CountDownLatch(1);

	/** Why the last {@code Wait} was cancelled. */
	final AtomicReference<CancelReason> cancelReason = new AtomicReference<>();

	/** The thread the last {@code Wait}'s cancel callback ran on. */
	final AtomicReference<String> cancelThread = new AtomicReference<>();

	@PayloadRoot(namespace = NAMESPACE, localPart = "Echo")
	@ResponsePayload
	Element echo(@RequestPayload Element request, OperationContext context) {
		this.calls.incrementAndGet();
		return answer(request, context, "e:EchoResponse");
	}

	@PayloadRoot(namespace = NAMESPACE, localPart = "Wait")
	@ResponsePayload
	Element waitForCancel(@RequestPayload Element request, OperationContext context) throws InterruptedException {
		CountDownLatch cancelled = new CountDownLatch(1);
		context.onCancel((why) -> {
			this.cancelReason.set(why);
			this.cancelThread.set(Thread.currentThread().getName());
			cancelled.countDown();
		});
		this.waiting.countDown();
		cancelled.await(10, TimeUnit.SECONDS);
		return answer(request, context, "e:WaitResponse");
	}

	private static Element answer(Element request, OperationContext context, String name) {
		Element response = request.getOwnerDocument().createElementNS(NAMESPACE, name);
		response.setAttribute("operationId", context.operationId());
		return response;
	}

}
