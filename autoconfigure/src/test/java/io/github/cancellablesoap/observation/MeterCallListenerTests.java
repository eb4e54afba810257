package io.github.cancellablesoap.observation;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.client.CallListener.EndedCall;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.testsupport.Racers;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeterCallListenerTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MeterCallListener listener = new MeterCallListener(this.registry);

	@Test
	void callsEndedOnManyThreadsAreEachRecordedOnceInTheTimerOfTheirTags() throws Exception {
		int threads = 8;
		int perThread = 2_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			Racers.race(pool, threads, Duration.ofSeconds(30), (thread) -> {
				for (int i = 0; i < perThread; i++) {
					CallOutcome outcome = ((i + thread) % 2 == 0) ? CallOutcome.COMPLETED : CallOutcome.ABANDONED;
					this.listener.callEnded(ended("quotes", "GetQuote", outcome, 1_000), null);
				}
			});
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.registry.get(MeterCallListener.CALLS).timers()).hasSize(2);
		assertThat(timer("quotes", "GetQuote", CallOutcome.COMPLETED).count()).isEqualTo(threads * perThread / 2);
		assertThat(timer("quotes", "GetQuote", CallOutcome.ABANDONED).count()).isEqualTo(threads * perThread / 2);
		assertThat(timer("quotes", "GetQuote", CallOutcome.COMPLETED).totalTime(TimeUnit.NANOSECONDS))
			.isEqualTo(threads * perThread / 2 * 1_000.0);
	}

	@Test
	void aCallWithoutAnOperationIsRecordedUnderNone() {
		this.listener.callEnded(ended("quotes", null, CallOutcome.FAILED, 5), null);
		assertThat(timer("quotes", "none", CallOutcome.FAILED).count()).isOne();
	}

	@Test
	void aTimerTheRegistryRemovedIsRegisteredAgainOnTheNextCall() {
		this.listener.callEnded(ended("quotes", "GetQuote", CallOutcome.COMPLETED, 5), null);
		Timer first = timer("quotes", "GetQuote", CallOutcome.COMPLETED);
		assertThat(this.registry.remove(first)).isSameAs(first);
		this.listener.callEnded(ended("quotes", "GetQuote", CallOutcome.COMPLETED, 5), null);
		Timer second = timer("quotes", "GetQuote", CallOutcome.COMPLETED);
		assertThat(second).isNotSameAs(first);
		assertThat(second.count()).isOne();
		assertThat(first.count()).isOne();
	}

	@Test
	void tagSetsPastTheCacheBoundAreStillRecordedEachTime() {
		int operations = MeterCallListener.MAX_CACHED_TIMERS + 10;
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < operations; i++) {
				this.listener.callEnded(ended("quotes", "Op" + i, CallOutcome.COMPLETED, 5), null);
			}
		}
		assertThat(this.registry.get(MeterCallListener.CALLS).timers()).hasSize(operations);
		assertThat(timer("quotes", "Op0", CallOutcome.COMPLETED).count()).isEqualTo(2);
		assertThat(timer("quotes", "Op" + (operations - 1), CallOutcome.COMPLETED).count()).isEqualTo(2);
	}

	@Test
	void aRejectedCallCountsWithAZeroDuration() {
		this.listener.callRejected("quotes", "c-1");
		Timer timer = timer("quotes", "none", CallOutcome.REJECTED);
		assertThat(timer.count()).isOne();
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isZero();
	}

	private Timer timer(String proxy, String operation, CallOutcome outcome) {
		return this.registry.get(MeterCallListener.CALLS)
			.tags("proxy", proxy, "operation", operation, "outcome", outcome.name())
			.timer();
	}

	private static EndedCall ended(String proxy, String operation, CallOutcome outcome, long nanos) {
		return new EndedCall(proxy, "c-1", operation, outcome, nanos, null);
	}

}
