package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Behaviour#respondWhenReleased} on a {@link ScriptedHttpServer}: the
 * {@link HeldResponse} handshake between a connection thread and the test threads that
 * call {@link ServerConnection#release()}.
 */
class HeldResponseTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String ENVELOPE = "<Envelope>héllo</Envelope>";

	@AutoClose
	private final ScriptedHttpServer server = ScriptedHttpServer
		.start(Behaviour.respondWhenReleased(200, "text/xml", ENVELOPE));

	@Test
	void respondWhenReleasedAnswersOnlyAfterRelease() throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			client.post("/ws", "request");
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.awaitRequest(WAIT)).isTrue();
			assertThat(connection.responseCount()).isZero();
			client.setReadTimeout(100);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(client::read);
			client.setReadTimeout(RawHttpClient.READ_TIMEOUT_MILLIS);

			connection.release();

			assertThat(connection.responseCount()).isOne();
			RawHttpClient.Response response = client.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(ENVELOPE);
			client.post("/ws", "next");
			assertThat(connection.awaitRequests(2, WAIT)).isTrue();
			this.server.releaseAll();
			assertThat(client.readResponse().body()).isEqualTo(ENVELOPE);
			assertThat(connection.isClosedByPeer()).isFalse();
		}
	}

	@Test
	void aReleaseBeforeTheRequestLetsItsResponseGoAtOnce() throws IOException {
		this.server.setBehaviour(Behaviour.respondWhenReleased(202, null, ""));
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			this.server.awaitConnection(0, WAIT).release();

			client.post("/ws", "request");

			assertThat(client.readResponse().status()).isEqualTo(202);
		}
	}

	@Test
	void releasesRacingTheirRequestsOnManyConnectionsLetEachResponseGoExactlyOnce() throws Exception {
		int connections = 4;
		int rounds = 100;
		ExecutorService threads = Executors.newFixedThreadPool(2 * connections);
		try {
			List<Future<?>> clients = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				clients.add(threads.submit(() -> {
					try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
						client.post("/ws", "first");
						ServerConnection connection = connectionOf(client);
						connection.release();
						assertThat(client.readResponse().body()).isEqualTo(ENVELOPE);
						for (int i = 1; i < rounds; i++) {
							CyclicBarrier start = new CyclicBarrier(2);
							Future<?> release = threads.submit(() -> {
								start.await();
								connection.release();
								return null;
							});
							start.await();
							client.post("/ws", "request " + i);
							assertThat(client.readResponse().body()).isEqualTo(ENVELOPE);
							release.get(WAIT.toSeconds(), TimeUnit.SECONDS);
						}
						assertThat(connection.awaitRequests(rounds, WAIT)).isTrue();
						assertThat(connection.responseCount()).isEqualTo(rounds);
						assertThat(connection.isClosedByPeer()).isFalse();
					}
					return null;
				}));
			}
			for (Future<?> client : clients) {
				client.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.server.requestCount()).isEqualTo(connections * rounds);
	}

	@Test
	void respondWhenReleasedSeesTheClientCloseWhileHolding() throws IOException {
		RawHttpClient client = RawHttpClient.connect(this.server.port());
		client.post("/ws", "request");
		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitRequest(WAIT)).isTrue();

		client.close();

		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
		assertThat(connection.awaitEnded(WAIT)).isTrue();
		connection.release();
		assertThat(connection.responseCount()).isZero();
	}

	/**
	 * The server's side of a client's connection, once accepted.
	 */
	private ServerConnection connectionOf(RawHttpClient client) {
		int port = client.socket().getLocalPort();
		return await().atMost(WAIT)
			.until(() -> this.server.connections().stream().filter((c) -> c.clientPort() == port).findFirst(),
					Optional::isPresent)
			.orElseThrow();
	}

}
