package io.github.cancellablesoap.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationScope.Cancellation;
import io.github.cancellablesoap.testsupport.Racers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cancellation scope's contract, races included: one winner, listeners once and
 * outside the lock, children with their parent, deadlines as scheduled cancels.
 */
class CancellationScopeTests {

	private static final Executor DIRECT = Runnable::run;

	@AutoClose("shutdown")
	private final CancellationTimer timer = new CancellationTimer("scope-test");

	@AutoClose("shutdownNow")
	private final ExecutorService threads = Executors.newFixedThreadPool(16);

	@Test
	void exactlyOneOfSixteenThreadsWinsEachOfAThousandScopesAndEachListenerRunsOnce() throws Exception {
		int scopes = 1000;
		int racers = 16;
		List<CancellationScope<Integer>> all = new ArrayList<>();
		AtomicIntegerArray winners = new AtomicIntegerArray(scopes);
		AtomicIntegerArray runs = new AtomicIntegerArray(scopes);
		AtomicReferenceArray<Integer> winningReason = new AtomicReferenceArray<>(scopes);
		AtomicReferenceArray<Integer> heardReason = new AtomicReferenceArray<>(scopes);
		for (int i = 0; i < scopes; i++) {
			int index = i;
			CancellationScope<Integer> scope = CancellationScope.root();
			scope.addListener((why) -> {
				runs.incrementAndGet(index);
				heardReason.set(index, why.reason());
			}, DIRECT);
			all.add(scope);
		}
		Racers.race(this.threads, racers, Duration.ofSeconds(30), (racer) -> {
			for (int i = 0; i < scopes; i++) {
				if (all.get(i).cancel(racer, "racer " + racer)) {
					winners.incrementAndGet(i);
					winningReason.set(i, racer);
				}
			}
		});
		for (int i = 0; i < scopes; i++) {
			assertThat(winners.get(i)).as("winners of scope %d", i).isEqualTo(1);
			assertThat(runs.get(i)).as("listener runs of scope %d", i).isEqualTo(1);
			assertThat(all.get(i).reason()).contains(winningReason.get(i));
			assertThat(heardReason.get(i)).isEqualTo(winningReason.get(i));
			assertThat(all.get(i).cancellation().orElseThrow().detail()).isEqualTo("racer " + winningReason.get(i));
		}
	}

	@Test
	void listenersRunOutsideTheLockSoAListenerWaitingForAnotherCancellersLockDoesNotDeadlock() throws Exception {
		CancellationScope<String> scope = CancellationScope.root();
		ReentrantLock applicationLock = new ReentrantLock();
		CountDownLatch listenerWaits = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		scope.addListener((why) -> {
			listenerWaits.countDown();
			applicationLock.lock();
			try {
				runs.incrementAndGet();
			}
			finally {
				applicationLock.unlock();
			}
		}, DIRECT);
		applicationLock.lock();
		Future<Boolean> first;
		try {
			first = this.threads.submit(() -> scope.cancel("first", null));
			assertThat(listenerWaits.await(10, TimeUnit.SECONDS)).as("the listener waits for the lock").isTrue();
			// the winner's listener waits for the lock this thread holds: a cancel that
			// needed the scope's lock now would never return
			Future<Boolean> second = this.threads.submit(() -> scope.cancel("second", null));
			assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
			assertThat(scope.isCancelled()).isTrue();
			assertThat(scope.addListener((why) -> runs.incrementAndGet(), DIRECT).remove()).isFalse();
		}
		finally {
			applicationLock.unlock();
		}
		assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(runs).hasValue(2);
		assertThat(scope.reason()).contains("first");
	}

	@Test
	void aListenerRegisteredAfterTheCancellationRunsAtOnceOnItsExecutor() {
		CancellationScope<String> scope = CancellationScope.root();
		assertThat(scope.cancel("gone", "detail")).isTrue();
		AtomicReference<Cancellation<String>> heard = new AtomicReference<>();
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		List<Runnable> handedOver = new ArrayList<>();
		scope.addListener((why) -> {
			heard.set(why);
			ranOn.set(Thread.currentThread());
		}, handedOver::add);
		assertThat(handedOver).hasSize(1);
		assertThat(heard.get()).isNull();
		handedOver.get(0).run();
		assertThat(heard.get()).isEqualTo(new Cancellation<>("gone", "detail"));
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
	}

	@Test
	void aRemovedListenerNeverRunsAndAnEndedScopeRunsNone() {
		CancellationScope<String> scope = CancellationScope.root();
		AtomicInteger runs = new AtomicInteger();
		CancellationScope<String>.Registration removed = scope.addListener((why) -> runs.incrementAndGet(), DIRECT);
		assertThat(removed.remove()).isTrue();
		assertThat(removed.remove()).isFalse();
		assertThat(scope.waiting()).isZero();
		scope.cancel("late", null);
		assertThat(runs).hasValue(0);

		CancellationScope<String> ended = CancellationScope.root();
		ended.addListener((why) -> runs.incrementAndGet(), DIRECT);
		assertThat(ended.end()).isTrue();
		assertThat(ended.end()).as("ending again").isTrue();
		assertThat(ended.cancel("after end", null)).isFalse();
		ended.addListener((why) -> runs.incrementAndGet(), DIRECT);
		assertThat(runs).hasValue(0);
		assertThat(ended.isCancelled()).isFalse();
		assertThat(ended.isOpen()).isFalse();
		assertThat(ended.waiting()).isZero();
	}

	@Test
	void endReportsACancellationThatCameFirst() {
		CancellationScope<String> scope = CancellationScope.root();
		scope.cancel("first", null);
		assertThat(scope.end()).isFalse();
		assertThat(scope.reason()).contains("first");
	}

	@Test
	void aThrowingListenerBreaksNothingButItself() {
		CancellationScope<String> scope = CancellationScope.root();
		List<String> heard = new ArrayList<>();
		scope.addListener((why) -> heard.add("before"), DIRECT);
		scope.addListener((why) -> {
			throw new IllegalStateException("listener bug");
		}, DIRECT);
		scope.addListener((why) -> {
			throw new AssertionError("listener bug");
		}, DIRECT);
		CancellationScope<String> child = scope.newChild();
		scope.addListener((why) -> heard.add("after"), DIRECT);
		assertThat(scope.cancel("x", null)).isTrue();
		assertThat(heard).containsExactly("before", "after");
		assertThat(child.reason()).contains("x");
	}

	@Test
	void aChildIsCancelledWithItsParentsReasonAndThroughGrandchildren() {
		CancellationScope<String> parent = CancellationScope.root();
		CancellationScope<String> child = parent.newChild();
		CancellationScope<String> grandchild = child.newChild();
		AtomicReference<Cancellation<String>> heard = new AtomicReference<>();
		grandchild.addListener(heard::set, DIRECT);
		assertThat(parent.cancel("host-aborted", "abort")).isTrue();
		assertThat(child.cancellation()).contains(new Cancellation<>("host-aborted", "abort"));
		assertThat(grandchild.reason()).contains("host-aborted");
		assertThat(heard.get()).isEqualTo(new Cancellation<>("host-aborted", "abort"));
		assertThat(child.cancel("other", null)).isFalse();
		assertThat(parent.newChild().reason()).as("a child of a cancelled scope").contains("host-aborted");
	}

	@Test
	void aChildCancelledAloneLeavesItsParentOpenAndUnlinks() {
		CancellationScope<String> parent = CancellationScope.root();
		CancellationScope<String> child = parent.newChild();
		CancellationScope<String> sibling = parent.newChild();
		assertThat(parent.waiting()).isEqualTo(2);
		assertThat(child.cancel("downstream", null)).isTrue();
		assertThat(parent.isCancelled()).isFalse();
		assertThat(parent.isOpen()).isTrue();
		assertThat(sibling.isOpen()).isTrue();
		assertThat(parent.waiting()).isEqualTo(1);
	}

	@Test
	void aLongLivedParentRetainsNoChildThatEnded() throws Exception {
		CancellationScope<String> parent = CancellationScope.root();
		int perThread = 10_000;
		List<Future<?>> tasks = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			tasks.add(this.threads.submit(() -> {
				for (int i = 0; i < perThread; i++) {
					CancellationScope<String> child = parent.newChild();
					if (i % 2 == 0) {
						child.end();
					}
					else {
						child.cancel("done", null);
					}
				}
			}));
		}
		for (Future<?> task : tasks) {
			task.get(30, TimeUnit.SECONDS);
		}
		assertThat(parent.waiting()).isZero();
		assertThat(parent.isOpen()).isTrue();
	}

	@Test
	void anEndedParentDropsItsLinksButLeavesItsChildrenOpen() {
		CancellationScope<String> parent = CancellationScope.root();
		CancellationScope<String> child = parent.newChild();
		assertThat(parent.end()).isTrue();
		assertThat(parent.waiting()).isZero();
		assertThat(child.isOpen()).isTrue();
		assertThat(child.cancel("alone", null)).isTrue();
		assertThat(parent.newChild().isOpen()).as("a child of an ended scope").isTrue();
	}

	@Test
	void cancelRacingNewChildNeverLeavesAChildOpen() throws Exception {
		for (int round = 0; round < 500; round++) {
			CancellationScope<String> parent = CancellationScope.root();
			CyclicBarrier start = new CyclicBarrier(2);
			Future<CancellationScope<String>> creating = this.threads.submit(() -> {
				start.await(10, TimeUnit.SECONDS);
				return parent.newChild().newChild();
			});
			Future<Boolean> cancelling = this.threads.submit(() -> {
				start.await(10, TimeUnit.SECONDS);
				return parent.cancel("race", null);
			});
			assertThat(cancelling.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(creating.get(10, TimeUnit.SECONDS).reason()).contains("race");
		}
	}

	@Test
	void aDeadlineCancelsTheScopeOnTheTimerAndCancelsItsChildren() throws Exception {
		CancellationScope<String> scope = CancellationScope.root();
		CancellationScope<String> child = scope.newChild();
		CountDownLatch cancelled = new CountDownLatch(1);
		AtomicReference<String> thread = new AtomicReference<>();
		child.addListener((why) -> {
			thread.set(Thread.currentThread().getName());
			cancelled.countDown();
		}, DIRECT);
		scope.withDeadline(Duration.ofMillis(50), "deadline", "budget ran out", this.timer);
		assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(scope.cancellation()).contains(new Cancellation<>("deadline", "budget ran out", true));
		assertThat(child.reason()).contains("deadline");
		assertThat(thread.get()).startsWith("soap-timer-scope-test");
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void theDeadlineTaskLeavesTheTimerWhenTheScopeEndsOrIsCancelled() {
		CancellationScope<String> ended = CancellationScope.<String>root()
			.withDeadline(Duration.ofHours(1), "deadline", null, this.timer);
		CancellationScope<String> cancelled = CancellationScope.<String>root()
			.withDeadline(Duration.ofHours(1), "deadline", null, this.timer);
		assertThat(this.timer.queued()).isEqualTo(2);
		assertThat(ended.end()).isTrue();
		assertThat(cancelled.cancel("operator", null)).isTrue();
		assertThat(this.timer.queued()).isZero();
		assertThat(ended.withDeadline(Duration.ofHours(1), "deadline", null, this.timer).isOpen()).isFalse();
		assertThat(this.timer.queued()).as("no deadline for an ended scope").isZero();
	}

	@Test
	void aLaterDeadlineNeverReplacesAnEarlierOneAndAnEarlierOneReplacesItsTask() {
		AtomicLong now = new AtomicLong(1_000);
		CancellationScope<String> scope = CancellationScope.root(now::get);
		scope.withDeadline(Duration.ofHours(2), "deadline", null, this.timer);
		assertThat(scope.deadlineNanos()).hasValue(1_000 + Duration.ofHours(2).toNanos());
		scope.withDeadline(Duration.ofHours(3), "deadline", null, this.timer);
		assertThat(scope.deadlineNanos()).hasValue(1_000 + Duration.ofHours(2).toNanos());
		assertThat(this.timer.queued()).isEqualTo(1);
		scope.withDeadline(Duration.ofHours(1), "deadline", null, this.timer);
		assertThat(scope.deadlineNanos()).hasValue(1_000 + Duration.ofHours(1).toNanos());
		assertThat(this.timer.queued()).as("the later task was cancelled").isEqualTo(1);
		now.addAndGet(Duration.ofMinutes(20).toNanos());
		assertThat(scope.timeRemaining()).contains(Duration.ofMinutes(40));
		scope.end();
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void aChildsEffectiveDeadlineIsTheEarlierOfItsOwnAndItsParents() {
		AtomicLong now = new AtomicLong(-5_000);
		CancellationScope<String> parent = CancellationScope.root(now::get);
		CancellationScope<String> child = parent.newChild();
		assertThat(child.deadlineNanos()).isEmpty();
		assertThat(child.timeRemaining()).isEmpty();
		parent.withDeadline(Duration.ofMinutes(10), "deadline", null, this.timer);
		assertThat(child.timeRemaining()).contains(Duration.ofMinutes(10));
		child.withDeadline(Duration.ofMinutes(30), "deadline", null, this.timer);
		assertThat(child.timeRemaining()).as("the parent's comes first").contains(Duration.ofMinutes(10));
		child.withDeadline(Duration.ofMinutes(4), "deadline", null, this.timer);
		assertThat(child.timeRemaining()).as("its own comes first").contains(Duration.ofMinutes(4));
		now.addAndGet(Duration.ofMinutes(60).toNanos());
		assertThat(child.timeRemaining()).as("a deadline that passed").contains(Duration.ZERO);
		parent.end();
		child.end();
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void aTimeoutThatRanOutCancelsAtOnceAndOneTooLongNeverDoes() {
		CancellationScope<String> expired = CancellationScope.<String>root()
			.withDeadline(Duration.ofMillis(-1), "deadline", "spent", this.timer);
		assertThat(expired.cancellation()).contains(new Cancellation<>("deadline", "spent", true));
		CancellationScope<String> forever = CancellationScope.<String>root()
			.withDeadline(ChronoUnit.FOREVER.getDuration(), "deadline", null, this.timer);
		assertThat(forever.isOpen()).isTrue();
		assertThat(forever.deadlineNanos()).isEmpty();
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void aDeadlineRacingEndEitherCancelsOrLeavesNothingQueued() throws Exception {
		int ended = 0;
		int expired = 0;
		// random deadlines against random waits before end(), until each side has won
		for (int round = 0; round < 300 || ((ended == 0 || expired == 0) && round < 20_000); round++) {
			CancellationScope<String> scope = CancellationScope.root();
			AtomicInteger runs = new AtomicInteger();
			scope.addListener((why) -> runs.incrementAndGet(), DIRECT);
			ThreadLocalRandom random = ThreadLocalRandom.current();
			scope.withDeadline(Duration.ofNanos(random.nextLong(1, 200_000)), "deadline", null, this.timer);
			LockSupport.parkNanos(random.nextLong(1, 200_000));
			if (scope.end()) {
				ended++;
				assertThat(runs).hasValue(0);
			}
			else {
				expired++;
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runs).hasValue(1));
			}
		}
		assertThat(ended).as("rounds that end() won").isPositive();
		assertThat(expired).as("rounds that the deadline won").isPositive();
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void aDeadlineThatPassedBeforeTheTimerRanWinsWhenAskedToExpire() {
		AtomicLong now = new AtomicLong();
		CancellationScope<String> scope = CancellationScope.<String>root(now::get)
			.withDeadline(Duration.ofHours(1), "deadline", "budget ran out", this.timer);
		now.set(Duration.ofMinutes(59).toNanos());
		assertThat(scope.expireIfDue()).as("not due yet").isFalse();
		assertThat(scope.isOpen()).isTrue();
		now.set(Duration.ofHours(1).toNanos());
		assertThat(scope.expireIfDue()).as("due, though the timer is an hour away").isTrue();
		assertThat(scope.cancellation()).hasValueSatisfying((cancellation) -> {
			assertThat(cancellation.reason()).isEqualTo("deadline");
			assertThat(cancellation.detail()).isEqualTo("budget ran out");
			assertThat(cancellation.expired()).isTrue();
		});
		assertThat(scope.expireIfDue()).as("once").isFalse();
		assertThat(this.timer.queued()).as("the timer's task went with the cancel").isZero();
		assertThat(CancellationScope.<String>root(now::get).expireIfDue()).as("no deadline").isFalse();
	}

}
