package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RawHttpClient;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link TcpSockets}.
 */
class TcpSocketsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@BeforeEach
	void requireProcFileSystem() {
		assumeTrue(TcpSockets.isSupported(), "needs /proc/net/tcp");
	}

	@Test
	void aPendingConnectIsAnOwnSynSentSocketUntilTheSocketIsClosed() throws IOException {
		try (HangingConnectTarget target = HangingConnectTarget.open(); Socket socket = new Socket()) {
			assertThat(TcpSockets.countOwn(target.port(), TcpSocket.State.SYN_SENT)).isZero();
			CompletableFuture<Void> connect = CompletableFuture.runAsync(() -> connect(socket, target));

			await().atMost(WAIT).until(() -> TcpSockets.countOwn(target.port(), TcpSocket.State.SYN_SENT) == 1);
			TcpSocket pending = TcpSockets.ownTowards(target.port())
				.stream()
				.filter((candidate) -> candidate.state() == TcpSocket.State.SYN_SENT)
				.findFirst()
				.orElseThrow();
			assertThat(pending.remoteAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
			assertThat(pending.inode()).isPositive();

			socket.close();

			await().atMost(WAIT).until(connect::isDone);
			assertThat(connect).isCompletedExceptionally();
			assertThat(TcpSockets.countOwn(target.port(), TcpSocket.State.SYN_SENT)).isZero();
			await().atMost(WAIT)
				.until(() -> TcpSockets.all()
					.stream()
					.noneMatch((candidate) -> candidate.localPort() == pending.localPort()
							&& candidate.state() == TcpSocket.State.SYN_SENT));
		}
	}

	@Test
	void anEstablishedConnectionToAScriptedServerIsSeenOnBothEnds() throws IOException {
		try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"));
				RawHttpClient client = RawHttpClient.connect(server.port())) {
			ServerConnection connection = server.awaitConnection(0, WAIT);
			int clientPort = client.socket().getLocalPort();
			assertThat(connection.clientPort()).isEqualTo(clientPort);

			List<TcpSocket> own = TcpSockets.own();

			assertThat(own).anySatisfy((socket) -> {
				assertThat(socket.localPort()).isEqualTo(clientPort);
				assertThat(socket.remotePort()).isEqualTo(server.port());
				assertThat(socket.remoteAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
				assertThat(socket.state()).isEqualTo(TcpSocket.State.ESTABLISHED);
			});
			assertThat(own).anySatisfy((socket) -> {
				assertThat(socket.localPort()).isEqualTo(server.port());
				assertThat(socket.remotePort()).isEqualTo(clientPort);
				assertThat(socket.state()).isEqualTo(TcpSocket.State.ESTABLISHED);
			});
			assertThat(TcpSockets.countOwn(server.port(), TcpSocket.State.ESTABLISHED)).isOne();
			assertThat(TcpSockets.countOwn(server.port())).isOne();
		}
	}

	@Test
	void aClosedClientSocketIsNoLongerOwnButLingersWithoutAnInode() throws IOException {
		try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"))) {
			RawHttpClient client = RawHttpClient.connect(server.port());
			client.post("/ws", "request");
			assertThat(client.readResponse().body()).isEqualTo("ok");
			int clientPort = client.socket().getLocalPort();

			client.close();

			assertThat(TcpSockets.countOwn(server.port())).isZero();
			await().atMost(WAIT)
				.until(() -> TcpSockets.all()
					.stream()
					.anyMatch((socket) -> socket.localPort() == clientPort && socket.remotePort() == server.port()
							&& socket.inode() == 0
							&& (socket.state() == TcpSocket.State.FIN_WAIT1
									|| socket.state() == TcpSocket.State.FIN_WAIT2
									|| socket.state() == TcpSocket.State.TIME_WAIT)));
		}
	}

	@Test
	void aListeningSocketIsSeenUntilItIsClosed() {
		ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());
		try {
			assertThat(TcpSockets.ownListener(server.port())).hasValueSatisfying((listener) -> {
				assertThat(listener.localAddress().getHostAddress()).isEqualTo("127.0.0.1");
				assertThat(listener.remotePort()).isZero();
				assertThat(listener.receiveQueue()).isZero();
			});
		}
		finally {
			server.close();
		}

		assertThat(TcpSockets.ownListener(server.port())).isEmpty();
	}

	private static void connect(Socket socket, HangingConnectTarget target) {
		try {
			socket.connect(target.address(), 10_000);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
