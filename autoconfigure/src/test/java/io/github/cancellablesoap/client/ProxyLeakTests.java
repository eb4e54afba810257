package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.ThreadCounts;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.testsupport.TcpSocket;
import io.github.cancellablesoap.testsupport.TcpSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of aborted and abandoned calls leave no socket, thread, timer task or
 * registry entry behind.
 */
class ProxyLeakTests {

	private static final int BATCHES = 40;

	private static final int BATCH_SIZE = 50;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	@Test
	void abortedAndAbandonedCallsLeaveNothingBehind() throws Exception {
		int port = this.fixture.server().port();
		int threadsBefore = ThreadCounts.live("httpclient-");
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.abandonedIoTimeout(Duration.ofMillis(50)));
		assertThat(ThreadCounts.live("httpclient-")).isGreaterThan(threadsBefore);
		for (int batch = 0; batch < BATCHES; batch++) {
			List<PendingCall<String>> calls = new ArrayList<>();
			for (int i = 0; i < BATCH_SIZE; i++) {
				calls.add(this.fixture.submit(proxy));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> proxy.calls()
					.stream()
					.filter((call) -> call.phase() == CallPhase.WAITING_FOR_RESPONSE)
					.count() == BATCH_SIZE);
			for (int i = 0; i < BATCH_SIZE; i++) {
				String id = calls.get(i).callId();
				assertThat((i % 2 == 0) ? proxy.abortCall(id, "leak test") : proxy.abandon(id)).isTrue();
			}
			for (PendingCall<String> call : calls) {
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
					.withCauseInstanceOf(ServiceCallException.class);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingCalls() == 0);
		}
		assertThat(proxy.calls()).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.server().openConnectionCount() == 0);
		assertThat(TcpSockets.countOwn(port, TcpSocket.State.ESTABLISHED, TcpSocket.State.CLOSE_WAIT,
				TcpSocket.State.SYN_SENT))
			.isZero();
		assertThat(this.fixture.timer().queued()).isZero();
		proxy.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> ThreadCounts.live("httpclient-") == threadsBefore);
		assertThat(this.fixture.server().connections()).hasSize(BATCHES * BATCH_SIZE);
	}

}
