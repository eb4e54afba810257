package io.github.cancellablesoap.server;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real Tomcat, the cancel callbacks of a deadline, a gone caller and an operator
 * cancel run on callback threads, never on the timer thread, the detector's poller or the
 * operator's thread.
 */
class CallbackThreadsOnTomcatTests extends HostTestSupport {

	@Test
	void aDeadlineCallbackRunsOnACallbackThreadNotTheTimer() throws Exception {
		var response = post("main", work("cancel"), Map.of(ServiceHostServlet.CALL_TIMEOUT_HEADER, "300"));
		String id = nextStarted();
		assertCancelledFault(answer(response), CancelReason.DEADLINE_EXCEEDED);
		assertThat(this.probe.cancelThreads.get(id)).startsWith("soap-callback-").doesNotContain("timer");
	}

	@Test
	void aCallerGoneCallbackRunsOnACallbackThreadNotTheDetector() throws Exception {
		String id;
		try (Socket socket = sendRaw("main", work("cancel"))) {
			id = nextStarted();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.cancelThreads.containsKey(id));
		assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
		assertThat(this.probe.cancelThreads.get(id)).startsWith("soap-callback-").doesNotContain("caller");
	}

	@Test
	void anOperatorCancelReturnsBeforeTheCallbackRunsOnACallbackThread() throws Exception {
		var response = post("main", work("cancel"));
		String id = nextStarted();
		assertThat(this.mainHost.cancel(id, "operator")).isTrue();
		assertCancelledFault(answer(response), CancelReason.OPERATOR);
		assertThat(this.probe.cancelThreads.get(id)).startsWith("soap-callback-")
			.isNotEqualTo(Thread.currentThread().getName());
	}

}
