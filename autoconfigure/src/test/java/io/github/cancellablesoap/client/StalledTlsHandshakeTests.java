package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.testsupport.Racers;
import io.github.cancellablesoap.testsupport.StalledTlsPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An abort during the TLS handshake, against a peer that accepts TCP and never answers
 * the ClientHello: the caller is released, the socket is closed at once (seen from the
 * server side, long before the connect timeout), and the call's phase says it was
 * connecting.
 */
class StalledTlsHandshakeTests {

	private static final Duration BOUND = Duration.ofSeconds(1);

	/** Far longer than every bound here: a close that waits for it fails the test. */
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

	private static final int RACERS = 8;

	private static final int ROUNDS = 15;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serverless();

	private final StalledTlsPeer peer = this.fixture.closeAfter(StalledTlsPeer.start());

	@ParameterizedTest(name = "{0} during the handshake")
	@EnumSource(Abort.class)
	void abortDuringTheHandshakeReleasesTheCallerAndClosesTheSocket(Abort abort) throws Exception {
		DefaultServiceProxy proxy = open(abort == Abort.TIMEOUT_WITH_ABORT ? CALL_TIMEOUT : Duration.ofSeconds(30));
		PendingCall<String> call = this.fixture.submit(proxy);
		StalledTlsPeer.Connection connection = this.peer.awaitConnection(0, Duration.ofSeconds(5));
		assertThat(connection.awaitClientHello(Duration.ofSeconds(5))).as("the ClientHello arrived").isTrue();
		CallInfo stuck = proxy.call(call.callId()).orElse(null);
		assertThat(stuck != null || abort == Abort.TIMEOUT_WITH_ABORT).isTrue();
		if (stuck != null) {
			assertThat(stuck.phase()).as("the phase while stuck in the handshake").isEqualTo(CallPhase.CONNECTING);
			assertThat(stuck.channelId()).isNotNull();
		}
		long start = System.nanoTime();
		switch (abort) {
			case ABORT_CALL -> assertThat(proxy.abortCall(call.callId(), "operator")).isTrue();
			case ABORT_CHANNEL -> assertThat(proxy.abortChannel(stuck.channelId(), "operator")).isTrue();
			case ABORT_PROXY -> assertThat(proxy.abort("operator")).isTrue();
			default -> assertThat(abort).as("the timeout fires by itself").isEqualTo(Abort.TIMEOUT_WITH_ABORT);
		}
		Duration wait = (abort == Abort.TIMEOUT_WITH_ABORT) ? CALL_TIMEOUT.plus(BOUND) : BOUND;
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(wait.toNanos(), TimeUnit.NANOSECONDS))
			.havingCause()
			.isInstanceOf(abort.exception);
		long released = System.nanoTime();
		if (abort != Abort.TIMEOUT_WITH_ABORT) {
			assertThat(released - start).as("caller released within a second").isLessThan(BOUND.toNanos());
		}
		assertThat(connection.awaitClosedByPeer(BOUND)).as("the peer saw the socket close within a second").isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.call(call.callId()).isEmpty());
		assertThat(proxy.pendingCalls()).isZero();
	}

	@Test
	void callAbortsRacingTheStartOfTheHandshakeCloseEverySocket() throws Exception {
		DefaultServiceProxy proxy = open(Duration.ofSeconds(30));
		Racers.race(this.fixture.threads(), RACERS, Duration.ofSeconds(60), (racer) -> {
			for (int round = 0; round < ROUNDS; round++) {
				PendingCall<String> call = this.fixture.submit(proxy);
				spin();
				proxy.abortCall(call.callId(), "race");
				assertFailsPromptly(call, CallAbortedException.class, BOUND);
			}
		});
		assertHandshakesClosed(proxy);
	}

	@Test
	void channelAbortsRacingTheStartOfTheHandshakeCloseEverySocket() throws Exception {
		DefaultServiceProxy proxy = open(Duration.ofSeconds(30));
		Racers.race(this.fixture.threads(), RACERS, Duration.ofSeconds(60), (racer) -> {
			for (int round = 0; round < ROUNDS; round++) {
				PendingCall<String> call = this.fixture.submit(proxy);
				// The channel exists once the exchange is attached, just before it
				// connects:
				// polled without a pause, so that the abort races the connect and the
				// handshake.
				String channel = null;
				long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (channel == null && System.nanoTime() < deadline) {
					channel = proxy.call(call.callId()).map(CallInfo::channelId).orElse(null);
					// Leaves the cores to the I/O reactor on a loaded machine.
					Thread.yield();
				}
				assertThat(channel).as("the call's channel").isNotNull();
				spin();
				assertThat(proxy.abortChannel(channel, "race")).isTrue();
				assertFailsPromptly(call, CallAbortedException.class, BOUND);
			}
		});
		assertHandshakesClosed(proxy);
	}

	@Test
	void timeoutsRacingTheStartOfTheHandshakeCloseEverySocket() throws Exception {
		// Short enough to fire around the TCP connect and the start of the handshake.
		DefaultServiceProxy proxy = open(Duration.ofMillis(15));
		Racers.race(this.fixture.threads(), RACERS, Duration.ofSeconds(60), (racer) -> {
			for (int round = 0; round < ROUNDS; round++) {
				PendingCall<String> call = this.fixture.submit(proxy);
				assertFailsPromptly(call, CallTimedOutException.class, BOUND);
			}
		});
		assertHandshakesClosed(proxy);
	}

	@Test
	void proxyAbortsRacingTheStartOfTheHandshakeCloseEverySocket() throws Exception {
		DefaultServiceProxy proxy = open(Duration.ofSeconds(30));
		for (int round = 0; round < ROUNDS; round++) {
			List<PendingCall<String>> calls = new ArrayList<>();
			for (int i = 0; i < RACERS; i++) {
				calls.add(this.fixture.submit(proxy));
			}
			spin();
			assertThat(proxy.abort("race")).isTrue();
			for (PendingCall<String> call : calls) {
				assertFailsPromptly(call, CallAbortedException.class, BOUND);
			}
			proxy.reset();
			proxy.open();
		}
		assertHandshakesClosed(proxy);
	}

	private static void spin() {
		int spins = ThreadLocalRandom.current().nextInt(50_000);
		for (int i = 0; i < spins; i++) {
			Thread.onSpinWait();
		}
	}

	private static void assertFailsPromptly(PendingCall<String> call, Class<? extends ServiceCallException> type,
			Duration bound) {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(bound.toNanos(), TimeUnit.NANOSECONDS))
			.havingCause()
			.isInstanceOf(type);
	}

	/**
	 * Every connection whose ClientHello arrived had its handshake started, and the abort
	 * must have closed it within the bound. One without, aborted during its TCP connect,
	 * can be left to the I/O reactor by a race inside HttpCore (see the README), so only
	 * those with a ClientHello are held to it.
	 */
	private void assertHandshakesClosed(ServiceProxy proxy) throws InterruptedException {
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		List<Integer> open = new ArrayList<>();
		int accepted = this.peer.connectionCount();
		int handshakes = 0;
		for (int i = 0; i < accepted; i++) {
			StalledTlsPeer.Connection connection = this.peer.awaitConnection(i, BOUND);
			if (!connection.awaitClosedByPeer(BOUND) && connection.hasClientHello()) {
				open.add(i);
			}
			handshakes += connection.hasClientHello() ? 1 : 0;
		}
		assertThat(open).as("handshaking connections left open by an abort").isEmpty();
		assertThat(handshakes).as("aborts that hit a handshake").isPositive();
	}

	private DefaultServiceProxy open(Duration callTimeout) {
		return this.fixture.open(this.peer.uri("/ws"),
				(settings) -> settings.callTimeout(callTimeout)
					.timeoutAction(TimeoutAction.ABORT)
					.connectTimeout(CONNECT_TIMEOUT));
	}

	enum Abort {

		ABORT_CALL(CallAbortedException.class),

		ABORT_CHANNEL(CallAbortedException.class),

		ABORT_PROXY(CallAbortedException.class),

		TIMEOUT_WITH_ABORT(CallTimedOutException.class);

		private final Class<? extends ServiceCallException> exception;

		Abort(Class<? extends ServiceCallException> exception) {
			this.exception = exception;
		}

	}

}
