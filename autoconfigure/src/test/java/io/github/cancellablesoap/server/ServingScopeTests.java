package io.github.cancellablesoap.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The serving scope of {@link OperationListener#operationServing}: opened on the serving
 * thread just before the endpoint runs, closed on that same thread once it returned,
 * after the start and before the end, once per operation; a listener that throws while
 * opening or closing its scope breaks neither the request nor the other listeners.
 */
class ServingScopeTests extends HostTestSupport {

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	private final Recording recording = new Recording();

	@AfterEach
	void forgetListener() {
		this.mainHost.setOperationListener(OperationListener.NONE);
	}

	@Test
	void theScopeIsOpenWhileTheEndpointRunsAndClosedOnTheSameThreadBeforeTheEnd() throws Exception {
		this.mainHost.setOperationListener(CompositeOperationListener
			.of(List.of(new ThrowingScopes(true), this.recording, new ThrowingScopes(false))));
		CompletableFuture<HttpResponse<String>> response = post("main", work("gate"));
		String id = nextStarted();
		assertThat(this.recording.events).containsExactly("started " + id, "opened " + id);
		this.probe.gate.countDown();
		assertThat(answer(response).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.recording.events.size() == 4);
		assertThat(this.recording.events).containsExactly("started " + id, "opened " + id, "closed " + id,
				"ended " + id);
		assertThat(this.recording.closingThreads).containsExactlyElementsOf(this.recording.openingThreads);
		assertThat(this.recording.openingThreads).singleElement().isNotEqualTo(Thread.currentThread().getName());
	}

	@Test
	void theRequestHeadersAreReadableWhileTheStartIsHeardAndNotAfterwards() throws Exception {
		this.mainHost.setOperationListener(this.recording);
		assertThat(answer(post("main", work("echo"), Map.of("Soap-Call-Id", "c-5", "traceparent", TRACEPARENT)))
			.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.recording.events.size() == 4);
		assertThat(this.recording.headersAtStart).containsExactly("c-5 " + TRACEPARENT);
		OperationListener.StartedOperation kept = this.recording.started.peek();
		assertThat(kept.callerCallId()).isEqualTo("c-5");
		assertThat(kept.requestHeader("traceparent")).isNull();
		assertThat(kept.requestHeader("Soap-Call-Id")).isNull();
	}

	@Test
	void aListenerWhoseScopeThrowsAloneStillLetsTheOperationBeServed() throws Exception {
		this.mainHost.setOperationListener(new ThrowingScopes(true));
		assertThat(answer(post("main", work("echo"))).statusCode()).isEqualTo(200);
		this.mainHost.setOperationListener(new ThrowingScopes(false));
		assertThat(answer(post("main", work("echo"))).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().isEmpty());
	}

	/**
	 * Records the start, the scope and the end of each operation, and the threads the
	 * scope was opened and closed on.
	 */
	private static final class Recording implements OperationListener {

		final Queue<String> events = new ConcurrentLinkedQueue<>();

		final Queue<String> openingThreads = new ConcurrentLinkedQueue<>();

		final Queue<String> closingThreads = new ConcurrentLinkedQueue<>();

		final Queue<StartedOperation> started = new ConcurrentLinkedQueue<>();

		final Queue<String> headersAtStart = new ConcurrentLinkedQueue<>();

		@Override
		public @Nullable Object operationStarted(StartedOperation operation) {
			this.started.add(operation);
			// header names in any case, as HTTP has them
			this.headersAtStart
				.add(operation.requestHeader("soap-call-id") + " " + operation.requestHeader("TraceParent"));
			this.events.add("started " + operation.operationId());
			return operation.operationId();
		}

		@Override
		public ServingScope operationServing(@Nullable Object state) {
			this.events.add("opened " + state);
			this.openingThreads.add(Thread.currentThread().getName());
			return () -> {
				this.closingThreads.add(Thread.currentThread().getName());
				this.events.add("closed " + state);
			};
		}

		@Override
		public void operationEnded(EndedOperation operation, @Nullable Object state) {
			this.events.add("ended " + operation.operationId());
		}

	}

	/**
	 * A listener whose scope fails when it is opened, or when it is closed.
	 */
	private static final class ThrowingScopes implements OperationListener {

		private final boolean whenOpened;

		ThrowingScopes(boolean whenOpened) {
			this.whenOpened = whenOpened;
		}

		@Override
		public ServingScope operationServing(@Nullable Object state) {
			if (this.whenOpened) {
				throw new IllegalStateException("listener bug");
			}
			return () -> {
				throw new IllegalStateException("listener bug");
			};
		}

	}

}
