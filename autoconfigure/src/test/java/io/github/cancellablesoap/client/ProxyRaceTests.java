package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation racing completion, and lifecycle verbs racing new calls, with many
 * threads: every call ends exactly one way, the verb that won is the one the caller saw,
 * and nothing is left in flight.
 */
class ProxyRaceTests {

	private static final int CALLERS = 16;

	private static final int CALLS_PER_CALLER = 150;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void abandonRacingCompletionDecidesEachCallOnce() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		Tally tally = race(proxy, (call) -> proxy.abandon(call.id()));
		assertThat(tally.callerSaw(CallAbandonedException.class)).as(tally.toString())
			.isEqualTo(tally.verbWon.get())
			.isPositive();
		// Abandoned exchanges keep their quota slot until their I/O ends, so a burst of
		// abandons
		// may fill max-pending-calls: those calls are rejected, never lost.
		assertThat(tally.completed.get() + tally.callerSaw(CallAbandonedException.class)
				+ tally.callerSaw(CallRejectedException.class))
			.as(tally.toString())
			.isEqualTo(tally.total());
		assertThat(tally.rejectedMessages).allMatch((message) -> message.contains("max-pending-calls"));
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void abortRacingCompletionDecidesEachCallOnce() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		Tally tally = race(proxy, (call) -> proxy.abortCall(call.id(), "race"));
		assertThat(tally.callerSaw(CallAbortedException.class)).as(tally.toString()).isEqualTo(tally.verbWon.get());
		assertThat(tally.callerSaw(CallAbortedException.class)).isPositive();
		assertThat(tally.completed.get() + tally.callerSaw(CallAbortedException.class)).as(tally.toString())
			.isEqualTo(tally.total());
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void abortOfTheProxyRacingNewCallsLeavesEveryCallAbortedRejectedOrCompleted() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		CountDownLatch someCompleted = new CountDownLatch(CALLERS * 5);
		Tally tally = new Tally();
		List<Future<?>> callers = startCallers(proxy, tally, someCompleted);
		assertThat(someCompleted.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(proxy.abort("race")).isTrue();
		for (Future<?> caller : callers) {
			caller.get(30, TimeUnit.SECONDS);
		}
		assertThat(tally.other).isEmpty();
		assertThat(tally.completed.get() + tally.callerSaw(CallAbortedException.class)
				+ tally.callerSaw(CallRejectedException.class))
			.isEqualTo(tally.total());
		assertThat(tally.callerSaw(CallRejectedException.class)).isPositive();
		assertThat(tally.rejectedMessages).allMatch((message) -> message.contains("is FAULTED"));
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void closeRacingCallsInFlightLetsEveryAdmittedCallEnd() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.closeTimeout(Duration.ofSeconds(30)));
		CountDownLatch someCompleted = new CountDownLatch(CALLERS * 5);
		Tally tally = new Tally();
		List<Future<?>> callers = startCallers(proxy, tally, someCompleted);
		assertThat(someCompleted.await(30, TimeUnit.SECONDS)).isTrue();
		proxy.close();
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
		for (Future<?> caller : callers) {
			caller.get(30, TimeUnit.SECONDS);
		}
		assertThat(tally.other).isEmpty();
		assertThat(tally.callerSaw(CallAbortedException.class)).isZero();
		assertThat(tally.completed.get() + tally.callerSaw(CallRejectedException.class)).isEqualTo(tally.total());
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	/**
	 * Runs callers while a canceller applies a verb to calls it finds in flight.
	 */
	private Tally race(DefaultServiceProxy proxy, java.util.function.Predicate<CallInfo> verb) throws Exception {
		Tally tally = new Tally();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Future<?>> callers = startCallers(proxy, tally, new CountDownLatch(0));
		Future<?> canceller = this.fixture.threads().submit(() -> {
			while (running.get()) {
				for (CallInfo call : proxy.calls()) {
					if (ThreadLocalRandom.current().nextInt(3) == 0 && verb.test(call)) {
						tally.verbWon.incrementAndGet();
					}
				}
				Thread.onSpinWait();
			}
		});
		ProxyFixture.awaitAll(callers);
		running.set(false);
		canceller.get(10, TimeUnit.SECONDS);
		assertThat(tally.other).isEmpty();
		return tally;
	}

	private List<Future<?>> startCallers(ServiceProxy proxy, Tally tally, CountDownLatch progress) {
		return this.fixture.repeatOnThreads(CALLERS, CALLS_PER_CALLER, () -> {
			tally.attempts.incrementAndGet();
			try {
				String response = ProxyFixture.echo(proxy);
				if (response.contains("echoResponse")) {
					tally.completed.incrementAndGet();
				}
				else {
					tally.other.add("unexpected response: " + response);
				}
			}
			catch (ServiceCallException ex) {
				tally.saw.computeIfAbsent(ex.getClass(), (type) -> new AtomicInteger()).incrementAndGet();
				if (ex instanceof CallRejectedException) {
					tally.rejectedMessages.add(ex.getMessage());
				}
			}
			catch (RuntimeException ex) {
				tally.other.add(ex.toString());
			}
			progress.countDown();
		});
	}

	/**
	 * What the callers saw, by outcome.
	 */
	private static final class Tally {

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger completed = new AtomicInteger();

		final AtomicInteger verbWon = new AtomicInteger();

		final ConcurrentHashMap<Class<?>, AtomicInteger> saw = new ConcurrentHashMap<>();

		final List<String> other = java.util.Collections.synchronizedList(new ArrayList<>());

		final List<String> rejectedMessages = java.util.Collections.synchronizedList(new ArrayList<>());

		int callerSaw(Class<?> type) {
			AtomicInteger count = this.saw.get(type);
			return (count != null) ? count.get() : 0;
		}

		int total() {
			return this.attempts.get();
		}

		@Override
		public String toString() {
			return "attempts=" + this.attempts + ", completed=" + this.completed + ", verbWon=" + this.verbWon
					+ ", saw=" + this.saw + ", other=" + this.other;
		}

	}

}
