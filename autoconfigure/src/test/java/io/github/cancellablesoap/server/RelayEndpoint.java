package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import org.w3c.dom.Element;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint of {@link PropagationIntegrationTests}: calls the downstream service in
 * the way its request's {@code mode} says, and records what the call ended with, how long
 * it took, and the operation's cancellation.
 */
@Endpoint
class RelayEndpoint {

	private final ServiceProxies proxies;

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private final Map<String, Served> served = new ConcurrentHashMap<>();

	volatile String lastOperation;

	RelayEndpoint(ServiceProxies proxies) {
		this.proxies = proxies;
	}

	@PayloadRoot(namespace = "urn:relay", localPart = "Relay")
	@ResponsePayload
	Element relay(@RequestPayload Element request, OperationContext context) throws Exception {
		String id = context.operationId();
		this.lastOperation = id;
		Served record = new Served();
		this.served.put(id, record);
		context.onCancel((reason) -> {
			record.reason = reason;
			record.cancels.incrementAndGet();
		});
		context.onComplete(record.completed::countDown);
		int baseline = ((Operation) context).scope().waiting();
		ServiceProxy downstream = this.proxies.find("downstream").orElseThrow();
		long start = System.nanoTime();
		Object ended = null;
		try {
			switch (request.getAttribute("mode")) {
				case "wrapped" -> this.workers.submit(context.wrap(() -> call(downstream))).get();
				case "attached" -> this.workers.submit(() -> {
					try (OperationContext.Attachment attached = context.attach()) {
						assertThat(OperationContext.current()).isSameAs(context);
						return call(downstream);
					}
				}).get();
				case "detached" -> call(downstream.detached());
				case "many" -> {
					ServiceProxy echo = this.proxies.find("echo").orElseThrow();
					for (int i = 0; i < 100; i++) {
						call((i % 2 == 0) ? echo : echo.withCallTimeout(Duration.ofSeconds(20)));
					}
				}
				default -> call(downstream);
			}
			ended = Served.COMPLETED;
		}
		catch (Exception ex) {
			ended = (ex instanceof ExecutionException) ? ex.getCause() : ex;
		}
		finally {
			// recorded before the outcome, which the test waits for
			record.downstreamMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			record.listenersLeft = ((Operation) context).scope().waiting() - baseline;
			record.outcome.complete(ended);
		}
		return request;
	}

	private static String call(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<hello xmlns=\"urn:t\"/>"), result);
		return result.toString();
	}

	Served of(String operation) {
		return this.served.get(operation);
	}

	/**
	 * What one operation of the relay endpoint saw.
	 */
	static final class Served {

		private static final Object COMPLETED = new Object();

		final CompletableFuture<Object> outcome = new CompletableFuture<>();

		final AtomicInteger cancels = new AtomicInteger();

		final CountDownLatch completed = new CountDownLatch(1);

		volatile CancelReason reason;

		volatile long downstreamMillis;

		volatile int listenersLeft;

		/** What the downstream call threw, or {@code null} when it completed. */
		Throwable awaitOutcome() throws Exception {
			Object ended = this.outcome.get(20, TimeUnit.SECONDS);
			return (ended == COMPLETED) ? null : (Throwable) ended;
		}

		void awaitCompleted() throws InterruptedException {
			assertThat(this.completed.await(20, TimeUnit.SECONDS)).as("operation ended").isTrue();
		}

	}

}
