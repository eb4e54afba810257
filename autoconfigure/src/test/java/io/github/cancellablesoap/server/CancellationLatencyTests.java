package io.github.cancellablesoap.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures how fast cancellations reach endpoints on a real Tomcat: caller gone (client
 * closes its socket mid-call) and host abort. Bounds are generous; the numbers go to the
 * log and {@code target/measurements/server-latency.txt}.
 */
class CancellationLatencyTests extends HostTestSupport {

	@Test
	void callerGoneIsDetectedSoonAfterTheClientClosesItsSocket() throws Exception {
		assertCallerGoneDetectedPromptly("caller gone: socket closed -> cancel callback (Tomcat available() probe)",
				100);
	}

	@Test
	void hostAbortReachesEveryRunningOperationsCancelCallback() throws Exception {
		Latencies latencies = new Latencies("host abort: abort() called -> cancel callback, 4 running operations");
		for (int round = 0; round < 30; round++) {
			List<CompletableFuture<?>> responses = new ArrayList<>();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				responses.add(post("main", work("cancel")));
			}
			for (int i = 0; i < 4; i++) {
				ids.add(nextStarted());
			}
			long aborted = System.nanoTime();
			assertThat(this.mainHost.abort("measure")).isTrue();
			for (String id : ids) {
				assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.HOST_ABORTED);
				latencies.add(this.probe.cancelNanos.get(id) - aborted);
			}
			for (CompletableFuture<?> response : responses) {
				response.join();
			}
			this.mainHost.reset();
			this.mainHost.open();
		}
		latencies.report();
		assertThat(latencies.percentileMillis(50)).isLessThan(1000);
	}

}
