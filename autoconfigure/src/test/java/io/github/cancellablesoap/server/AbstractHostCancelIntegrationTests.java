package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.WireProtocol;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The base of the explicit-cancel tests on a real Tomcat: host "c" (imported through
 * {@link CancelEndpoints}), the {@link Recorder} that serves and records its operations,
 * and the helper that calls it. Each subclass keeps its own port and
 * {@code @DynamicPropertySource}: its application context differs, and two cached
 * contexts must never share a fixed port. The recorder is thread-safe; everything else is
 * used from the test thread.
 */
abstract class AbstractHostCancelIntegrationTests {

	static final String NS = "urn:cancel";

	@Autowired
	@Qualifier("c")
	ServiceHost c;

	@Autowired
	Recorder recorder;

	/**
	 * Sends operation {@code operation} of namespace {@link #NS} with an empty payload.
	 * @param operations the proxy (or its operations inside a submitted call)
	 * @param operation the local name of the payload root
	 * @return the answer as text
	 */
	static String call(WebServiceOperations operations, String operation) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<t:" + operation + " xmlns:t=\"" + NS + "\"/>"),
				result);
		return result.toString();
	}

	/**
	 * Starts a Hold call of host c through {@code proxy}, waits until host c serves it,
	 * aborts the call and checks that it failed as aborted.
	 * @param proxy the proxy that calls host c
	 * @param callers where the call runs
	 * @return the operation as host c's endpoint saw it
	 */
	Served abortedHold(ServiceProxy proxy, Executor callers) {
		PendingCall<String> call = proxy.submit((operations) -> call(operations, "Hold"), callers);
		Served served = this.recorder.awaitStarted(call.callId());
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		return served;
	}

	/**
	 * Host c's endpoints and what they record.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import({ Recorder.class, QuickEndpoint.class })
	static class CancelEndpoints {

	}

	/**
	 * Host c's Hold and Brief operations, and what they and the operation listeners saw,
	 * by the caller's call id: Hold holds until cancelled (at most 30 s), Brief answers
	 * after at most 2 ms. Thread-safe.
	 */
	@Endpoint
	@HostedBy("c")
	static final class Recorder implements OperationListener {

		final Map<String, Served> all = new ConcurrentHashMap<>();

		/** What operation listeners read as the token header, by the caller's call id. */
		final Map<String, String> listenerSawCallId = new ConcurrentHashMap<>();

		@Override
		public Object operationStarted(StartedOperation operation) {
			String callId = operation.requestHeader(WireProtocol.CALL_ID_HEADER);
			if (callId != null) {
				String token = operation.requestHeader(WireProtocol.CALL_TOKEN_HEADER);
				this.listenerSawCallId.put(callId, (token != null) ? token : "none");
			}
			return null;
		}

		@PayloadRoot(namespace = NS, localPart = "Hold")
		@ResponsePayload
		Element hold(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			start(context).cancelled.await(30, TimeUnit.SECONDS);
			return request;
		}

		@PayloadRoot(namespace = NS, localPart = "Brief")
		@ResponsePayload
		Element brief(@RequestPayload Element request, OperationContext context) {
			start(context);
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
			return request;
		}

		Served start(OperationContext context) {
			Served served = new Served(context.callerCallId().orElse(context.operationId()));
			context.onCancel((reason) -> {
				served.reason = reason;
				served.cancels.incrementAndGet();
				served.cancelled.countDown();
			});
			context.onComplete(() -> {
				served.completions.incrementAndGet();
				served.completed.countDown();
			});
			this.all.put(served.callerCallId, served);
			return served;
		}

		Served awaitStarted(String callerCallId) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.all.containsKey(callerCallId));
			return this.all.get(callerCallId);
		}

	}

	/**
	 * One operation as its endpoint saw it.
	 */
	static final class Served {

		/** The caller's call id, or the operation id where the caller sent none. */
		final String callerCallId;

		final AtomicInteger cancels = new AtomicInteger();

		final AtomicInteger completions = new AtomicInteger();

		final CountDownLatch cancelled = new CountDownLatch(1);

		final CountDownLatch completed = new CountDownLatch(1);

		final CompletableFuture<String> downstreamCallId = new CompletableFuture<>();

		final CompletableFuture<Throwable> downstream = new CompletableFuture<>();

		volatile CancelReason reason;

		Served(String callerCallId) {
			this.callerCallId = callerCallId;
		}

		void awaitCompleted() throws InterruptedException {
			assertThat(this.completed.await(20, TimeUnit.SECONDS)).as("operation ended").isTrue();
		}

	}

	/**
	 * Both hosts: answers at once.
	 */
	@Endpoint
	@HostedBy({ "b", "c" })
	static class QuickEndpoint {

		@PayloadRoot(namespace = NS, localPart = "Quick")
		@ResponsePayload
		Element quick(@RequestPayload Element request) {
			return request;
		}

	}

}
