package io.github.cancellablesoap.core;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.github.cancellablesoap.core.Lifecycle.State;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsLifecycleTests {

	@Test
	void startOpensCreatedTargetsAndLeavesOthersAsTheyAre() {
		Target created = new Target("a", State.CREATED, null);
		Target faulted = new Target("b", State.FAULTED, null);
		Targets of = new Targets(List.of(created, faulted));
		of.start();
		assertThat(of.isRunning()).isTrue();
		assertThat(states(created, faulted)).containsExactly(State.OPEN, State.FAULTED);
	}

	@Test
	void stopClosesOpenAndFaultedTargetsAtOnceAndStartReopensOnlyThose() throws Exception {
		CyclicBarrier together = new CyclicBarrier(2);
		Target open = new Target("a", State.CREATED, together);
		Target faulted = new Target("b", State.CREATED, together);
		Target created = new Target("c", State.CREATED, null);
		Targets of = new Targets(List.of(open, faulted, created));
		of.start();
		faulted.abort("test");
		created.close();
		created.reset();
		// the two closes each wait for the other: a stop that closed them one by
		// one would fail on the barrier's timeout
		of.stop();
		assertThat(of.isRunning()).isFalse();
		assertThat(states(open, faulted, created)).containsExactly(State.CLOSED, State.CLOSED, State.CREATED);
		assertThat(open.closedOn().get()).startsWith("soap-target-close-");
		of.start();
		assertThat(states(open, faulted, created)).containsExactly(State.OPEN, State.OPEN, State.OPEN);
	}

	@Test
	void anAsynchronousStopReturnsAtOnceAndCallsBackWhenTheLastCloseReturned() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Target slow = new Target("a", State.CREATED, null, release);
		Targets of = new Targets(List.of(slow));
		of.start();
		CountDownLatch stopped = new CountDownLatch(1);
		of.stop(stopped::countDown);
		assertThat(stopped.getCount()).isOne();
		release.countDown();
		assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(of.isRunning()).isFalse();
		assertThat(slow.state()).isEqualTo(State.CLOSED);
		CountDownLatch nothingToClose = new CountDownLatch(1);
		of.stop(nothingToClose::countDown);
		assertThat(nothingToClose.getCount()).isZero();
	}

	private static List<State> states(Target... targets) {
		return Stream.of(targets).map(Target::state).toList();
	}

	private static final class Targets extends TargetsLifecycle<Target> {

		Targets(List<Target> targets) {
			super("target", targets, 0);
		}

	}

	/**
	 * A target whose verbs follow the state table, and whose close can be made to wait:
	 * first for a latch, then for the other targets that close together.
	 *
	 * @param name the target's name
	 * @param current its state, moved atomically by every verb
	 * @param closeTogether the barrier its close meets the others at, if any
	 * @param beforeClose the latch its close waits for first, if any
	 * @param closedOn the name of the thread that closed it last
	 */
	private record Target(String name, AtomicReference<State> current, @Nullable CyclicBarrier closeTogether,
			@Nullable CountDownLatch beforeClose, AtomicReference<String> closedOn) implements LifecycleVerbs<State> {

		Target(String name, State state, @Nullable CyclicBarrier closeTogether) {
			this(name, state, closeTogether, null);
		}

		Target(String name, State state, @Nullable CyclicBarrier closeTogether, @Nullable CountDownLatch beforeClose) {
			this(name, new AtomicReference<>(state), closeTogether, beforeClose, new AtomicReference<>());
		}

		@Override
		public State state() {
			return this.current.get();
		}

		@Override
		public VerbResult openAndReport() {
			return move(State.OPEN);
		}

		@Override
		public VerbResult abortAndReport(@Nullable String reason) {
			return move(State.FAULTED);
		}

		@Override
		public VerbResult closeAndReport() {
			try {
				if (this.beforeClose != null) {
					assertThat(this.beforeClose.await(5, TimeUnit.SECONDS)).isTrue();
				}
				if (this.closeTogether != null && state() != State.CREATED) {
					this.closeTogether.await(5, TimeUnit.SECONDS);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			this.closedOn.set(Thread.currentThread().getName());
			return move(State.CLOSED);
		}

		@Override
		public VerbResult resetAndReport() {
			return move(State.CREATED);
		}

		private VerbResult move(State to) {
			State from = this.current.getAndSet(to);
			return new VerbResult(from.name(), to.name(), from != to, false, 0);
		}

	}

}
