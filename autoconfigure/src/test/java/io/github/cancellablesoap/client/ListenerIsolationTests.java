package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.testsupport.CountingListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.WebServiceOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listeners that throw at every hook, from many caller threads at once, against a real
 * loopback server: every call keeps its outcome, is released exactly once, and leaves no
 * quota slot or registry entry behind.
 */
class ListenerIsolationTests {

	private static final int CALLERS = 8;

	private static final int CALLS_PER_CALLER = 40;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void aListenerThatThrowsAtEveryHookLeaksNoSlotAndChangesNoOutcome() throws Exception {
		Throwing listener = new Throwing(true);
		DefaultServiceProxy proxy = callFromManyThreadsHeardBy(listener);
		assertThat(listener.started).hasValue(CALLERS * CALLS_PER_CALLER);
		assertThat(listener.ended).as("a listener whose callStarted threw hears nothing more of the call").hasValue(0);
		assertNothingLeft(proxy);
		assertThat(proxy.abort("listener throws on abort too")).isTrue();
		assertThat(proxy.state()).isEqualTo(ProxyState.FAULTED);
		assertNothingLeft(proxy);
	}

	@Test
	void aThrowingCallEndedEndsEachCallOnceAndKeepsItsSuccess() throws Exception {
		Throwing listener = new Throwing(false);
		DefaultServiceProxy proxy = callFromManyThreadsHeardBy(listener);
		assertThat(listener.ended).hasValue(CALLERS * CALLS_PER_CALLER);
		assertThat(listener.endedTwice).isEmpty();
		assertThat(listener.outcomes).containsOnlyKeys(CallOutcome.COMPLETED);
		assertNothingLeft(proxy);
	}

	@Test
	void aThrowingListenerInACompositeIsSkippedAndTheOthersHearEveryEvent() throws Exception {
		Throwing first = new Throwing(true);
		Throwing second = new Throwing(false);
		CountingListener third = new CountingListener();
		DefaultServiceProxy proxy = callFromManyThreadsHeardBy(CompositeCallListener.of(List.of(first, second, third)));
		int calls = CALLERS * CALLS_PER_CALLER;
		assertThat(first.ended).hasValue(0);
		assertThat(second.ended).hasValue(calls);
		assertThat(third.started).hasValue(calls);
		assertThat(third.ended).hasValue(calls);
		assertNothingLeft(proxy);
		assertThat(proxy.abort("composite")).isTrue();
		assertThat(third.aborts).hasValue(1);
	}

	@Test
	void anErrorFromCallStartedFailsTheCallAndGivesItsSlotBack() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(2));
		proxy.setCallListener(new CallListener() {

			@Override
			public @Nullable Object callStarted(StartedCall call) {
				throw new AssertionError("listener bug");
			}

		});
		for (int i = 0; i < 5; i++) {
			assertThatThrownBy(() -> ProxyFixture.echo(proxy)).isInstanceOf(AssertionError.class)
				.hasMessage("listener bug");
			assertThatThrownBy(() -> proxy.submit(ProxyFixture::echo, this.fixture.threads()))
				.isInstanceOf(AssertionError.class);
		}
		assertThat(proxy.pendingCalls()).as("slots given back").isZero();
		proxy.setCallListener(CallListener.NONE);
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
	}

	@Test
	void aHugeCallTimeoutSaturatesAndLeaksNoSlot() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(CALLERS));
		List<String> failures = callFromManyThreads(proxy.withCallTimeout(Duration.ofSeconds(Long.MAX_VALUE)));
		assertThat(failures).isEmpty();
		PendingCall<String> submitted = proxy.submit(ProxyFixture::echo, this.fixture.threads());
		assertThat(submitted.result().get(10, TimeUnit.SECONDS)).contains("echoResponse");
		assertNothingLeft(proxy);
	}

	/**
	 * Makes echo calls from many threads at once; returns what went wrong.
	 */
	private List<String> callFromManyThreads(WebServiceOperations operations) throws Exception {
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		ProxyFixture.awaitAll(this.fixture.repeatOnThreads(CALLERS, CALLS_PER_CALLER, () -> {
			try {
				String response = ProxyFixture.echo(operations);
				if (!response.contains("echoResponse")) {
					failures.add("unexpected response " + response);
				}
			}
			catch (RuntimeException ex) {
				failures.add(ex.toString());
			}
		}));
		return List.copyOf(failures);
	}

	/**
	 * Opens a proxy with the listener and makes echo calls through it from many threads
	 * at once, none of which may fail.
	 */
	private DefaultServiceProxy callFromManyThreadsHeardBy(CallListener listener) throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(CALLERS));
		proxy.setCallListener(listener);
		assertThat(callFromManyThreads(proxy)).isEmpty();
		return proxy;
	}

	private static void assertNothingLeft(ServiceProxy proxy) {
		ProxyFixture.awaitNothingInFlight(proxy);
		assertThat(proxy.abandonedCalls()).isZero();
	}

	/**
	 * Throws at every hook: at {@code callStarted} too, or only after it.
	 */
	private static final class Throwing implements CallListener {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger ended = new AtomicInteger();

		final Map<CallOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

		final Queue<String> endedTwice = new ConcurrentLinkedQueue<>();

		private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

		private final boolean throwOnStart;

		Throwing(boolean throwOnStart) {
			this.throwOnStart = throwOnStart;
		}

		@Override
		public @Nullable Object callStarted(StartedCall call) {
			this.started.incrementAndGet();
			if (this.throwOnStart) {
				throw new IllegalStateException("callStarted fails");
			}
			return call.callId();
		}

		@Override
		public @Nullable String traceId(@Nullable Object state) {
			throw new IllegalStateException("traceId fails");
		}

		@Override
		public Map<String, String> requestHeaders(@Nullable Object state) {
			throw new IllegalStateException("requestHeaders fails");
		}

		@Override
		public void callEnded(EndedCall call, @Nullable Object state) {
			this.ended.incrementAndGet();
			this.outcomes.computeIfAbsent(call.outcome(), (outcome) -> new AtomicInteger()).incrementAndGet();
			if (this.seen.put(call.callId(), Boolean.TRUE) != null) {
				this.endedTwice.add(call.callId());
			}
			throw new IllegalStateException("callEnded fails");
		}

		@Override
		public void callRejected(String proxy, String callId) {
			throw new IllegalStateException("callRejected fails");
		}

		@Override
		public void aborted(AbortEvent event) {
			throw new IllegalStateException("aborted fails");
		}

	}

}
