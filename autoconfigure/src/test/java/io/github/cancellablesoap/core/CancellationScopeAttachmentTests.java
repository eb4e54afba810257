package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationScope.Attachment;
import io.github.cancellablesoap.core.CancellationScope.Cancellation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The scope current on a thread (attach, detach, wrap, detached) and what a scope tells
 * the calls that follow it: its name and whether its deadline cancelled it.
 */
class CancellationScopeAttachmentTests {

	@Test
	void noScopeIsCurrentUntilOneIsAttachedAndClosingRestoresTheOneBefore() {
		CancellationScope<String> outer = CancellationScope.root(Ticker.SYSTEM, "operation o-1");
		CancellationScope<String> inner = CancellationScope.root(Ticker.SYSTEM, "operation o-2");
		assertThat(CancellationScope.current()).isEmpty();
		try (Attachment first = outer.attach()) {
			assertThat(CancellationScope.current()).containsSame(outer);
			try (Attachment second = inner.attach()) {
				assertThat(CancellationScope.current()).containsSame(inner);
			}
			assertThat(CancellationScope.current()).containsSame(outer);
		}
		assertThat(CancellationScope.current()).isEmpty();
	}

	@Test
	void detachedCodeSeesNoScopeAndTheScopeComesBackAfterwards() {
		CancellationScope<String> scope = CancellationScope.root();
		AtomicReference<Boolean> seenInRunnable = new AtomicReference<>();
		try (Attachment attached = scope.attach()) {
			String result = CancellationScope
				.detached(() -> CancellationScope.current().isPresent() ? "inside" : "none");
			assertThat(result).isEqualTo("none");
			CancellationScope.detached((Runnable) () -> seenInRunnable.set(CancellationScope.current().isPresent()));
			assertThat(CancellationScope.current()).containsSame(scope);
		}
		assertThat(seenInRunnable.get()).isFalse();
	}

	@Test
	void detachedRestoresTheScopeAlsoWhenTheTaskThrows() {
		CancellationScope<String> scope = CancellationScope.root();
		try (Attachment attached = scope.attach()) {
			assertThatIllegalStateException().isThrownBy(() -> CancellationScope.detached((Runnable) () -> {
				throw new IllegalStateException("boom");
			}));
			assertThat(CancellationScope.current()).containsSame(scope);
		}
	}

	@Test
	void aWrappedTaskRunsWithTheScopeOnAnotherThreadAndLeavesThatThreadClean() throws Exception {
		CancellationScope<String> scope = CancellationScope.root();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<CancellationScope<?>> seen = pool
				.submit(scope.wrap(() -> CancellationScope.current().orElseThrow()));
			assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(scope);
			AtomicReference<Boolean> ran = new AtomicReference<>();
			pool.submit(scope.wrap((Runnable) () -> ran.set(CancellationScope.current().isPresent())))
				.get(10, TimeUnit.SECONDS);
			assertThat(ran.get()).isTrue();
			assertThat(pool.submit(() -> CancellationScope.current().isPresent()).get(10, TimeUnit.SECONDS))
				.as("the pool's thread after the wrapped tasks")
				.isFalse();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anAttachmentClosesOnlyOnItsOwnThreadAndOnlyOnce() throws Exception {
		CancellationScope<String> outer = CancellationScope.root();
		CancellationScope<String> inner = CancellationScope.root();
		try (Attachment first = outer.attach()) {
			Attachment second = inner.attach();
			CompletableFuture<Void> foreign = CompletableFuture.runAsync(second::close);
			assertThat(foreign).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("closed on the thread that made it");
			assertThat(CancellationScope.current()).containsSame(inner);
			second.close();
			assertThat(CancellationScope.current()).containsSame(outer);
			second.close();
			assertThat(CancellationScope.current()).as("a second close").containsSame(outer);
		}
		assertThat(CancellationScope.current()).isEmpty();
	}

	@Test
	void aCancellationByTheDeadlineIsMarkedExpiredAlsoInChildrenAndARequestedOneIsNot() throws Exception {
		CancellationTimer timer = new CancellationTimer("attachment-test");
		try {
			assertDeadlineCancellationsAreMarked(timer);
		}
		finally {
			timer.shutdown();
		}
	}

	private static void assertDeadlineCancellationsAreMarked(CancellationTimer timer) throws InterruptedException {
		CancellationScope<String> expiring = CancellationScope.root(Ticker.SYSTEM, "operation o-3");
		CancellationScope<String> child = expiring.newChild();
		CountDownLatch heard = new CountDownLatch(1);
		child.addListener((why) -> heard.countDown(), Runnable::run);
		expiring.withDeadline(Duration.ofMillis(20), "deadline", "budget ran out", timer);
		assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(expiring.cancellation()).contains(new Cancellation<>("deadline", "budget ran out", true));
		assertThat(child.cancellation()).map(Cancellation::expired).contains(true);
		assertThat(child.name()).isEqualTo("operation o-3");

		CancellationScope<String> passed = CancellationScope.root();
		passed.withDeadline(Duration.ZERO, "deadline", null, timer);
		assertThat(passed.cancellation()).map(Cancellation::expired).contains(true);

		CancellationScope<String> cancelled = CancellationScope.root();
		cancelled.withDeadline(Duration.ofHours(1), "deadline", null, timer);
		cancelled.cancel("operator", "stop");
		assertThat(cancelled.cancellation()).contains(new Cancellation<>("operator", "stop"));
		assertThat(cancelled.cancellation()).map(Cancellation::expired).contains(false);
		assertThat(timer.queued()).isZero();
	}

}
