package io.github.cancellablesoap.server;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;
import io.github.cancellablesoap.testsupport.SharedSourcePortSockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Caller-gone detection through the kernel's connection table on a real Tomcat, the
 * choice for containers where the {@code available()} probe does not work: how fast it
 * notices, and that it tells apart two callers whose connections share their source port
 * (from 127.0.0.2 and 127.0.0.3).
 */
@TestPropertySource(properties = "test.caller-gone-detector=proc")
class ProcNetTcpCallerGoneTests extends HostTestSupport {

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(ProcNetTcpDetector.isSupported(), "needs /proc/net/tcp");
	}

	@Test
	void callerGoneIsDetectedThroughTheConnectionTable() throws Exception {
		assertCallerGoneDetectedPromptly("caller gone: socket closed -> cancel callback (/proc/net/tcp poller)", 50);
	}

	@Test
	void onlyTheOperationOfTheCallerThatLeftIsCancelled() throws Exception {
		List<Socket> callers = SharedSourcePortSockets.connect(new InetSocketAddress("127.0.0.1", this.port));
		try (Socket first = callers.get(0); Socket second = callers.get(1)) {
			assertThat(first.getLocalPort()).isEqualTo(second.getLocalPort());
			send(first, "main", work("cancel"));
			String firstId = nextStarted();
			send(second, "main", work("cancel"));
			String secondId = nextStarted();

			first.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.cancelNanos.containsKey(firstId));
			assertThat(this.probe.cancels.get(firstId)).isEqualTo(CancelReason.CALLER_GONE);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operation(firstId).isEmpty());
			assertThat(this.probe.cancels).as("the second caller is still there").doesNotContainKey(secondId);
			assertThat(this.mainHost.operation(secondId)).isPresent();

			second.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.cancelNanos.containsKey(secondId));
			assertThat(this.probe.cancels.get(secondId)).isEqualTo(CancelReason.CALLER_GONE);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operations().isEmpty());
	}

}
