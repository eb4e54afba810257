package io.github.cancellablesoap.transport;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.cancellablesoap.client.ForwardProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.Racers;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.jspecify.annotations.Nullable;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An abort that lands just as an exchange's connection is handed over (the pool completed
 * the lease, or the connect, and the endpoint is on its way to HttpClient) leaves that
 * connection neither leased nor open. HttpClient's minimal client drops an endpoint that
 * completes for a future already cancelled: neither used nor released, it stays leased
 * for good with its socket open. {@link HeldHandOvers} holds the hand-over on a latch
 * while the abort lands, so the ordering is forced, not hoped for; the pool's statistics
 * and the server, which must see the socket closed, show whether the connection leaked.
 * Both clients the transport builds are checked: the full one (with a forward proxy)
 * keeps the endpoint it leased, so it never leaked, but it must not lose its endpoint to
 * the manager's taking back of dropped ones either.
 */
class AbortAsConnectionArrivesTests {

	private static final Duration BOUND = Duration.ofSeconds(5);

	private static final int ROUNDS = 10;

	private static final int RACERS = 4;

	private static final int RACING_ROUNDS = 250;

	private static final byte[] BODY = "<echo xmlns=\"urn:test\">hello</echo>".getBytes(StandardCharsets.UTF_8);

	@AutoClose
	private final ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml", "<ok/>"));

	private final URI address = this.server.uri("/ws");

	private final ProxySettings settings = ProxySettings.builder("arrives", this.address).build();

	/** Only prepares each exchange's context (nothing without a forward proxy). */
	private final HttpComponents5Transport transport = new HttpComponents5Transport(this.settings);

	private final PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
		.setMaxConnTotal(1)
		.setMaxConnPerRoute(1)
		.build();

	private final HeldHandOvers handOvers = new HeldHandOvers(this.pool);

	private @Nullable CloseableHttpAsyncClient client;

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close(CloseMode.IMMEDIATE);
		}
	}

	static Stream<Arguments> rounds() {
		return Stream.of(Client.values())
			.flatMap((client) -> IntStream.rangeClosed(1, ROUNDS).mapToObj((round) -> Arguments.of(client, round)));
	}

	@ParameterizedTest(name = "{0} client, round {1}")
	@MethodSource("rounds")
	void anAbortLandingAsAPooledConnectionIsLeasedLeavesItNeitherLeasedNorOpen(Client kind, int round)
			throws Exception {
		this.server.setBehaviour(Behaviour.respondWhenReleased(200, "text/xml", "<ok/>"));
		open(kind);
		RecordingCall first = new RecordingCall("first");
		start(first);
		ServerConnection connection = this.server.awaitConnection(0, BOUND);
		assertThat(connection.awaitRequest(BOUND)).isTrue();
		// the second exchange waits for the pool's only connection, held by the first
		HeldHandOvers.Hold hold = this.handOvers.holdNextLease();
		RecordingCall second = new RecordingCall("second");
		HttpExchange exchange = start(second);
		// the first exchange ends and gives its connection back: the pool hands it to the
		// second, whose abort lands before the endpoint reaches the client
		connection.release();
		assertThat(hold.awaitHeld()).as("the lease completed and was held").isTrue();
		assertThat(exchange.abort()).isTrue();
		hold.release();
		assertThat(first.response.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotNull();
		assertAbortedAndConnectionFreed(second, connection);
		// the pool still serves at once
		this.server.setBehaviour(Behaviour.respond(200, "text/xml", "<ok/>"));
		RecordingCall third = new RecordingCall("third");
		start(third);
		assertThat(third.response.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotNull();
	}

	@ParameterizedTest(name = "{0} client, round {1}")
	@MethodSource("rounds")
	void anAbortLandingAsANewConnectionIsHandedOverLeavesItNeitherLeasedNorOpen(Client kind, int round)
			throws Exception {
		open(kind);
		HeldHandOvers.Hold hold = this.handOvers.holdNextConnect();
		RecordingCall call = new RecordingCall("connecting");
		HttpExchange exchange = start(call);
		assertThat(hold.awaitHeld()).as("the connect completed and was held").isTrue();
		ServerConnection connection = this.server.awaitConnection(0, BOUND);
		assertThat(exchange.abort()).isTrue();
		hold.release();
		assertAbortedAndConnectionFreed(call, connection);
		RecordingCall next = new RecordingCall("next");
		start(next);
		assertThat(next.response.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotNull();
	}

	/**
	 * Aborts on many threads racing exchanges on a pool of one connection, anywhere from
	 * before the lease to well into the answer, so that leases complete (on the thread
	 * that gives the connection back) and connects complete as aborts land: every
	 * exchange ends once, no connection stays leased, and the pool serves at once after.
	 * Without the manager taking back what the minimal client drops, a run of 1,600 such
	 * aborts left the pool's one connection leased.
	 */
	@ParameterizedTest(name = "{0} client")
	@EnumSource(Client.class)
	void abortsRacingHandOversOnManyThreadsLeaveNoConnectionLeased(Client kind) throws Exception {
		open(kind);
		AtomicInteger aborted = new AtomicInteger();
		AtomicInteger answered = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(RACERS);
		try {
			Racers.race(threads, RACERS, Duration.ofSeconds(120), (racer) -> {
				for (int round = 0; round < RACING_ROUNDS; round++) {
					RecordingCall call = new RecordingCall("racer-" + racer + "-" + round);
					HttpExchange exchange = start(call);
					long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(300_000);
					while (System.nanoTime() < until) {
						Thread.onSpinWait();
					}
					exchange.abort();
					// the end is counted just before its response or failure is recorded;
					// polled every millisecond (Awaitility's default 100 ms would gate
					// every round)
					await().atMost(BOUND)
						.pollDelay(Duration.ZERO)
						.pollInterval(Duration.ofMillis(1))
						.until(() -> call.ends.get() == 1 && (call.response.isDone() || call.failure.isDone()));
					if (call.response.isDone()) {
						answered.incrementAndGet();
					}
					else {
						assertThat(call.failure).isDone();
						aborted.incrementAndGet();
					}
				}
			});
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(aborted.get()).as("aborts that won their race").isPositive();
		assertThat(aborted.get() + answered.get()).isEqualTo(RACERS * RACING_ROUNDS);
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(this.pool.getTotalStats().getLeased()).as("connections leased").isZero());
		// Not asserted here: sockets that HttpCore and HttpClient's connect chain drop
		// when a cancel lands as a connect completes below the manager (no pool entry
		// holds them, so they never block the pool); see the README.
		RecordingCall next = new RecordingCall("next");
		start(next);
		assertThat(next.response.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotNull();
	}

	/**
	 * An abort that lands while a new pool entry (no connection yet) is handed over: the
	 * full client keeps such an endpoint and would connect it; the manager refuses the
	 * connect, so no socket is opened for the aborted exchange and the entry leaves the
	 * pool. The exchange starts off the test's thread, since a new entry's lease
	 * completes on the thread that asks for it.
	 */
	@ParameterizedTest(name = "{0} client, round {1}")
	@MethodSource("rounds")
	void anAbortLandingAsANewEntryIsLeasedOpensNoSocket(Client kind, int round) throws Exception {
		open(kind);
		HeldHandOvers.Hold hold = this.handOvers.holdNextLease();
		RecordingCall call = new RecordingCall("fresh");
		HttpExchange exchange = new HttpExchange(call, this.settings);
		CloseableHttpAsyncClient current = this.client;
		CompletableFuture<Void> starting = CompletableFuture
			.runAsync(() -> exchange.start(current, new BasicHttpRequest(Method.POST, this.address), BODY, BODY.length,
					"text/xml; charset=utf-8", this.transport));
		assertThat(hold.awaitHeld()).as("the lease completed and was held").isTrue();
		assertThat(exchange.abort()).isTrue();
		hold.release();
		starting.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(call.failure.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
		await().atMost(BOUND).untilAsserted(() -> assertThat(this.pool.getTotalStats().getLeased()).isZero());
		assertThat(this.pool.getTotalStats().getAvailable()).as("nothing unconnected kept in the pool").isZero();
		assertThat(call.ends.get()).isEqualTo(1);
		RecordingCall next = new RecordingCall("next");
		start(next);
		assertThat(next.response.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotNull();
		assertThat(this.server.connections()).as("only the next call opened a socket").hasSize(1);
	}

	/**
	 * Build and start the client as the transport does: the minimal one without a forward
	 * proxy, the full one with a forward proxy (bypassed here for the server's address,
	 * so that the same server answers directly).
	 */
	private void open(Client kind) {
		IOReactorConfig reactor = IOReactorConfig.custom().setTcpNoDelay(true).build();
		TrackingConnectionManager tracking = new TrackingConnectionManager(this.handOvers);
		if (kind == Client.MINIMAL) {
			CloseableHttpAsyncClient minimal = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1,
					H2Config.DEFAULT, Http1Config.DEFAULT, reactor, tracking);
			this.client = minimal;
			minimal.start();
		}
		else {
			this.client = new ForwardProxyRouting(
					new ForwardProxy("127.0.0.1", 9, null, List.of(this.address.getHost())))
				.createClient(tracking, Http1Config.DEFAULT, reactor);
		}
	}

	private HttpExchange start(RecordingCall call) {
		HttpExchange exchange = new HttpExchange(call, this.settings);
		CloseableHttpAsyncClient current = this.client;
		assertThat(current).isNotNull();
		exchange.start(current, new BasicHttpRequest(Method.POST, this.address), BODY, BODY.length,
				"text/xml; charset=utf-8", this.transport);
		return exchange;
	}

	private void assertAbortedAndConnectionFreed(RecordingCall call, ServerConnection connection) throws Exception {
		assertThat(call.failure.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
		assertThat(call.response).isNotDone();
		await().atMost(BOUND).untilAsserted(() -> SoftAssertions.assertSoftly((softly) -> {
			softly.assertThat(this.pool.getTotalStats().getLeased()).as("connections leased").isZero();
			softly.assertThat(connection.isClosedByPeer()).as("the server saw the socket closed").isTrue();
		}));
		assertThat(this.server.connections()).as("no connection was opened for the aborted exchange").hasSize(1);
		assertThat(call.ends.get()).as("the exchange ended once").isEqualTo(1);
	}

	/**
	 * The two clients the transport builds.
	 */
	enum Client {

		/** HttpClient's minimal client, without a forward proxy. */
		MINIMAL,

		/** HttpClient's full client, which plans routes through a forward proxy. */
		FULL

	}

}
