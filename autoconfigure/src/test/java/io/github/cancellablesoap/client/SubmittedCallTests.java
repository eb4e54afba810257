package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.Behaviour;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Calls submitted to a saturated executor (one thread, blocked by a latch): a
 * cancellation of a queued call completes its pending call at once, ends the call and
 * frees its slot; the task does nothing when it finally runs.
 */
class SubmittedCallTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final CountDownLatch unblock = new CountDownLatch(1);

	private final Ended ended = new Ended();

	@BeforeEach
	void saturateTheExecutor() {
		this.executor.execute(() -> {
			try {
				this.unblock.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	@AfterEach
	void closeAll() throws Exception {
		this.unblock.countDown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(QueuedVerb.class)
	void endingAQueuedCallCompletesItsPendingCallAndFreesItsSlot(QueuedVerb verb) throws Exception {
		DefaultServiceProxy proxy = openProxy(Duration.ofMinutes(5));
		PendingCall<String> call = proxy.submit(ProxyFixture::echo, this.executor);
		assertThat(proxy.pendingCalls()).isOne();
		assertThat(verb.apply(proxy, call.callId())).isTrue();
		assertQueuedCallEnded(proxy, call, Duration.ofSeconds(5), verb.thrown, verb.message, verb.outcome);
	}

	@Test
	void aQueuedCallTimesOutWhileTheExecutorIsStillBusy() throws Exception {
		DefaultServiceProxy proxy = openProxy(Duration.ofMillis(300));
		assertQueuedCallEnded(proxy, proxy.submit(ProxyFixture::echo, this.executor), Duration.ofSeconds(10),
				CallTimedOutException.class, "timed out after 300 ms", CallOutcome.TIMED_OUT);
	}

	@Test
	void cancellingTheResultOfAQueuedCallAbortsOrAbandonsIt() throws Exception {
		DefaultServiceProxy proxy = openProxy(Duration.ofMinutes(5));
		PendingCall<String> aborted = proxy.submit(ProxyFixture::echo, this.executor);
		PendingCall<String> abandoned = proxy.submit(ProxyFixture::echo, this.executor);
		assertThat(aborted.cancel(true)).isTrue();
		assertThat(abandoned.result().cancel(false)).isTrue();
		assertThat(aborted.cancel(true)).isFalse();
		assertThat(aborted.result().isCancelled()).isTrue();
		assertThat(abandoned.result().isCancelled()).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> aborted.result().get());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ended.outcomes.size() == 2);
		assertThat(this.ended.outcomes).containsExactlyInAnyOrder(CallOutcome.ABORTED, CallOutcome.ABANDONED);
		assertThat(proxy.pendingCalls()).isZero();
		assertTheTaskDoesNothingWhenItRuns(proxy);
	}

	@Test
	void cancellingTheResultOfARunningCallClosesItsSocket() throws Exception {
		this.unblock.countDown();
		DefaultServiceProxy proxy = openProxy(Duration.ofMinutes(5));
		PendingCall<String> call = proxy.submit(ProxyFixture::echo, this.executor);
		assertThat(
				this.fixture.server().awaitConnection(0, Duration.ofSeconds(10)).awaitRequest(Duration.ofSeconds(10)))
			.isTrue();
		assertThat(call.cancel(true)).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS));
		assertThat(this.fixture.server().connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		assertEndedOnceAndNothingLeft(proxy, CallOutcome.ABORTED);
	}

	private DefaultServiceProxy openProxy(Duration callTimeout) {
		DefaultServiceProxy proxy = this.fixture
			.open((settings) -> settings.callTimeout(callTimeout).maxPendingCalls(4));
		proxy.setCallListener(this.ended);
		return proxy;
	}

	/**
	 * Check that a call that never left the executor's queue ended as a caller would see
	 * it, freed its slot, and that its task does nothing when it finally runs.
	 */
	private void assertQueuedCallEnded(DefaultServiceProxy proxy, PendingCall<String> call, Duration within,
			Class<? extends ServiceCallException> thrown, String message, CallOutcome outcome) throws Exception {
		ProxyFixture.assertFailsWith(call, within, thrown, message);
		assertEndedOnceAndNothingLeft(proxy, outcome);
		assertTheTaskDoesNothingWhenItRuns(proxy);
	}

	private void assertEndedOnceAndNothingLeft(ServiceProxy proxy, CallOutcome outcome) {
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
		assertThat(proxy.abandonedCalls()).isZero();
		assertThat(this.ended.outcomes).containsExactly(outcome);
	}

	private void assertTheTaskDoesNothingWhenItRuns(ServiceProxy proxy) throws Exception {
		List<CallOutcome> before = List.copyOf(this.ended.outcomes);
		this.unblock.countDown();
		CountDownLatch drained = new CountDownLatch(1);
		this.executor.execute(drained::countDown);
		assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.fixture.server().requestCount()).isZero();
		assertThat(List.copyOf(this.ended.outcomes)).isEqualTo(before);
		assertThat(proxy.pendingCalls()).isZero();
	}

	/**
	 * Records each call's outcome as its end is heard.
	 */
	private static final class Ended implements CallListener {

		final Queue<CallOutcome> outcomes = new ConcurrentLinkedQueue<>();

		@Override
		public void callEnded(EndedCall call, @Nullable Object state) {
			this.outcomes.add(call.outcome());
		}

	}

	/**
	 * An operator verb applied to a call that still waits in the executor's queue.
	 */
	enum QueuedVerb {

		ABANDON(CallAbandonedException.class, CallOutcome.ABANDONED, "abandoned"),

		ABORT(CallAbortedException.class, CallOutcome.ABORTED, "queued too long");

		private final Class<? extends ServiceCallException> thrown;

		private final CallOutcome outcome;

		private final String message;

		QueuedVerb(Class<? extends ServiceCallException> thrown, CallOutcome outcome, String message) {
			this.thrown = thrown;
			this.outcome = outcome;
			this.message = message;
		}

		boolean apply(ServiceProxy proxy, String callId) {
			return (this == ABANDON) ? proxy.abandon(callId) : proxy.abortCall(callId, "queued too long");
		}

	}

}
