package io.github.cancellablesoap.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.server.detect.AvailableProbeDetector;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.test.ThreadCounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand cancelled operations leave no registry entries, timer tasks, watches or
 * threads behind.
 */
class CancelledOperationLeakTests extends HostTestSupport {

	@Autowired
	CancellationTimer timer;

	@Autowired
	CallerGoneDetector detector;

	@Autowired
	CallbackExecutor callbacks;

	@Test
	void aThousandCancelledOperationsLeaveNothingBehind() throws Exception {
		// one served request first starts the shared threads (timer, detector poller)
		// that
		// live as long as the host, so that the count below is of threads per operation
		assertThat(answer(post("main", work("echo"), Map.of("Soap-Call-Timeout", "60000"))).statusCode())
			.isEqualTo(200);
		long ourThreadsBefore = ourThreads();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		try {
			List<Future<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				String callId = "c-leak-" + i;
				boolean byDeadline = i % 2 == 0;
				responses.add(clients.submit(() -> {
					if (byDeadline) {
						return answer(post("main", work("cancel"), Map.of("Soap-Call-Timeout", "1")));
					}
					var response = post("main", work("cancel"), Map.of("Soap-Call-Id", callId));
					await().atMost(Duration.ofSeconds(5))
						.pollInterval(Duration.ofMillis(1))
						.until(() -> this.mainHost.operations()
							.stream()
							.anyMatch((operation) -> callId.equals(operation.callerCallId())
									&& this.mainHost.cancel(operation.id(), "leak test")));
					return answer(response);
				}));
			}
			for (Future<HttpResponse<String>> response : responses) {
				HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
				assertThat(answered.statusCode()).isEqualTo(500);
				assertThat(answered.body()).contains("<cs:cancelled");
			}
		}
		finally {
			clients.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.mainHost.operations()).isEmpty();
			assertThat(this.timer.queued()).isZero();
			assertThat(((AvailableProbeDetector) this.detector).watched()).isZero();
		});
		// a cancellation that wins before the endpoint starts answers without running it
		assertThat(this.probe.cancels).isNotEmpty();
		assertThat(this.probe.cancels.values()).containsOnly(CancelReason.DEADLINE_EXCEEDED, CancelReason.OPERATOR);
		assertThat(this.probe.completed).isEqualTo(this.probe.cancels.keySet());
		assertThat(ourThreads()).isLessThanOrEqualTo(ourThreadsBefore);
		// the callback pools grow on demand, up to their bounds, whatever ran before
		for (CallbackExecutor pool : callbackPools()) {
			assertThat(ThreadCounts.live(pool.threadNamePrefix())).isLessThanOrEqualTo(pool.maxThreads());
		}
		assertThat(answer(post("main", work("echo"))).statusCode()).isEqualTo(200);
	}

	/**
	 * The callback pools in play: the application's, and the common one that hosts built
	 * without it use.
	 */
	private List<CallbackExecutor> callbackPools() {
		return List.of(this.callbacks, CallbackExecutor.common());
	}

	/** The product's threads other than the bounded callback pools'. */
	private long ourThreads() {
		List<String> pools = callbackPools().stream().map(CallbackExecutor::threadNamePrefix).toList();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("soap-") && pools.stream().noneMatch(name::startsWith))
			.count();
	}

}
