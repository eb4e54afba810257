package io.github.cancellablesoap.core;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

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
		assertThat(created.state()).isEqualTo(State.OPEN);
		assertThat(faulted.state()).isEqualTo(State.FAULTED);
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
		// the two closes each wait for the other: a stop that closed them one by one
		// would
		// fail on the barrier's timeout
		of.stop();
		assertThat(of.isRunning()).isFalse();
		assertThat(open.state()).isEqualTo(State.CLOSED);
		assertThat(faulted.state()).isEqualTo(State.CLOSED);
		assertThat(open.closedOn).startsWith("soap-target-close-");
		assertThat(created.state()).isEqualTo(State.CREATED);
		of.start();
		assertThat(open.state()).isEqualTo(State.OPEN);
		assertThat(faulted.state()).isEqualTo(State.OPEN);
		assertThat(created.state()).isEqualTo(State.OPEN);
	}

	@Test
	void anAsynchronousStopReturnsAtOnceAndCallsBackWhenTheLastCloseReturned() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Target slow = new Target("a", State.CREATED, null);
		slow.beforeClose = release;
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

	private static final class Targets extends TargetsLifecycle<Target> {

		Targets(List<Target> targets) {
			super("target", targets, 0);
		}

	}

	/**
	 * A target whose verbs follow the state table, and whose close can be made to wait.
	 */
	private static final class Target implements LifecycleVerbs<State> {

		private final String name;

		private final @Nullable CyclicBarrier closeTogether;

		private volatile State state;

		volatile @Nullable CountDownLatch beforeClose;

		volatile @Nullable String closedOn;

		Target(String name, State state, @Nullable CyclicBarrier closeTogether) {
			this.name = name;
			this.state = state;
			this.closeTogether = closeTogether;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public State state() {
			return this.state;
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
				CountDownLatch before = this.beforeClose;
				if (before != null) {
					assertThat(before.await(5, TimeUnit.SECONDS)).isTrue();
				}
				if (this.closeTogether != null && this.state != State.CREATED) {
					this.closeTogether.await(5, TimeUnit.SECONDS);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			this.closedOn = Thread.currentThread().getName();
			return move(State.CLOSED);
		}

		@Override
		public VerbResult resetAndReport() {
			return move(State.CREATED);
		}

		private VerbResult move(State to) {
			State from = this.state;
			this.state = to;
			return new VerbResult(from.name(), to.name(), from != to, false, 0);
		}

	}

}
