package io.github.cancellablesoap.server;

import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Caller-gone detection through the kernel's connection table on a real Tomcat, the
 * choice for containers where the {@code available()} probe does not work.
 */
@TestPropertySource(properties = "test.caller-gone-detector=proc")
class ProcNetTcpCallerGoneTests extends HostTestSupport {

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(ProcNetTcpDetector.isSupported(), "needs /proc/net/tcp");
	}

	@Test
	void callerGoneIsDetectedThroughTheConnectionTable() throws Exception {
		Latencies latencies = new Latencies("caller gone: socket closed -> cancel callback (/proc/net/tcp poller)");
		for (int i = 0; i < 50; i++) {
			String id;
			long closed;
			try (Socket socket = sendRaw("main", work("cancel"))) {
				id = nextStarted();
				closed = System.nanoTime();
			}
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> this.probe.cancelNanos.containsKey(id));
			assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
			latencies.add(this.probe.cancelNanos.get(id) - closed);
		}
		latencies.report();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().isEmpty());
	}

}
