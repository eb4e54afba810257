package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link HangingConnectTarget}.
 */
class HangingConnectTargetTests {

	private HangingConnectTarget target;

	@BeforeEach
	void openTarget() {
		this.target = HangingConnectTarget.open();
	}

	@AfterEach
	void closeTarget() {
		this.target.close();
	}

	@Test
	void aConnectTimesOut() throws IOException {
		try (Socket socket = new Socket()) {
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> socket.connect(this.target.address(), 300));
		}
	}

	@Test
	void aConnectStillTimesOutAfterTheFirstSynRetransmission() throws IOException {
		// Linux retransmits an unanswered SYN after one second: it is dropped as well.
		try (Socket socket = new Socket()) {
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> socket.connect(this.target.address(), 1500));
		}
	}

	@Test
	void theFillersAreConnectedAndWaitInTheAcceptQueue() {
		assumeTrue(TcpSockets.isSupported(), "needs /proc/net/tcp");

		assertThat(this.target.fillerCount()).isPositive();
		assertThat(this.target.acceptQueueLength()).isEqualTo(this.target.fillerCount());
		assertThat(TcpSockets.countOwn(this.target.port(), TcpSocket.State.ESTABLISHED))
			.isEqualTo(this.target.fillerCount());
	}

	@Test
	void uriPointsAtTheHangingPort() {
		assertThat(this.target.uri("ws").toString()).isEqualTo("http://127.0.0.1:" + this.target.port() + "/ws");
		assertThat(this.target.uri("/ws")).isEqualTo(this.target.uri("ws"));
	}

	@Test
	void connectsAreRefusedOnceClosed() throws IOException {
		this.target.close();

		try (Socket socket = new Socket()) {
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> socket.connect(this.target.address(), 1000));
		}
	}

}
