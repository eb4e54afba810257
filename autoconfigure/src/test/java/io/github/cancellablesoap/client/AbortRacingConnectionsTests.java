package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Aborts that race a call's connection as it is leased from the pool, made, or handed to
 * the exchange never leave that connection leased: with a pool of two connections, the
 * proxy still answers every call at once after thousands of such aborts. The window it
 * guards (a lease or connect completing as the abort lands) is microseconds wide, so a
 * run hits it only now and then: this is a stress check of the whole abort path against
 * the pool, which any leak of a connection per abort would fail.
 */
class AbortRacingConnectionsTests {

	private static final int RACERS = 2;

	private static final int ROUNDS = 1500;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void abortsRacingLeasesAndConnectsLeaveEveryPooledConnectionFree() throws Exception {
		DefaultServiceProxy proxy = this.fixture
			.open((settings) -> settings.maxPendingCalls(RACERS).callTimeout(Duration.ofSeconds(5)));
		AtomicInteger aborted = new AtomicInteger();
		AtomicInteger answered = new AtomicInteger();
		ProxyFixture.awaitAll(this.fixture.repeatOnThreads(RACERS, ROUNDS, () -> {
			PendingCall<String> call = this.fixture.submit(proxy);
			// anywhere from before the lease to well into the exchange
			long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(300_000);
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			proxy.abortCall(call.callId(), "race");
			try {
				call.result().get(10, TimeUnit.SECONDS);
				answered.incrementAndGet();
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(CallAbortedException.class);
				aborted.incrementAndGet();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			// its slot is free once its I/O ended too: only then may this racer start
			// another
			await().pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> proxy.call(call.callId()).isEmpty());
		}));
		ProxyFixture.awaitNothingInFlight(proxy);
		assertThat(aborted.get()).as("aborts that won their race").isPositive();
		assertThat(aborted.get() + answered.get()).isEqualTo(RACERS * ROUNDS);
		// a connection left leased would make these wait for the pool until they time out
		for (int i = 0; i < 2 * RACERS; i++) {
			assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		}
	}

}
