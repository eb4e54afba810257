package io.github.cancellablesoap.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.TimeoutAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hung service: the sample's host in a container, frozen with {@code docker pause}
 * while calls from proxies in this JVM wait for its answers (through docker-proxy, which
 * keeps accepting and holding connections). Every way of ending a call ends it within its
 * bound, closes its socket and leaves the proxy usable once the service is back; and the
 * host, once it runs again, ends the operations of the calls that reached it.
 */
class HungServiceIT extends SampleHostFaults {

	private static final Duration VERB_BOUND = Duration.ofSeconds(1);

	@Test
	void theCallTimeoutEndsAHungCall() {
		Duration timeout = Duration.ofSeconds(3);
		DefaultServiceProxy proxy = open(
				(settings) -> settings.callTimeout(timeout).timeoutAction(TimeoutAction.ABORT));
		// Paused first: the call cannot end but by its timeout, however slow this machine
		// is (a paused host hangs new calls too: docker-proxy accepts and holds them).
		this.host.pause();
		long start = System.nanoTime();
		PendingCall<String> call = this.proxies.report(proxy, 60_000);
		assertThat(Calls.failure(call)).isInstanceOf(CallTimedOutException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.TIMED_OUT);
		Duration took = Measured.since(start);
		assertThat(took).as("not before its timeout").isGreaterThanOrEqualTo(timeout);
		Measured.within("pause: call timeout 3 s (from the call's start)", timeout.plusSeconds(2), took);
		Calls.assertNothingLeft(proxy, this.host.port());
		assertUsableAfterUnpause(proxy);
	}

	@Test
	void abandonReleasesTheCallerAndAbortingItThenClosesItsSocket() {
		DefaultServiceProxy proxy = open((settings) -> settings);
		PendingCall<String> call = hungCalls(proxy, 1).get(0);
		long start = System.nanoTime();
		assertThat(proxy.abandon(call.callId())).isTrue();
		assertThat(Calls.failure(call)).isInstanceOf(CallAbandonedException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.ABANDONED);
		Measured.within("pause: abandon releases the caller", VERB_BOUND, Measured.since(start));
		// abandon cancels nothing: the exchange goes on, its socket open
		assertThat(proxy.call(call.callId())).hasValueSatisfying((info) -> assertThat(info.abandoned()).isTrue());
		assertThat(OwnSockets.towards(this.host.port())).isEqualTo(1);
		long abort = System.nanoTime();
		assertThat(proxy.abortCall(call.callId())).isTrue();
		Calls.assertNothingLeft(proxy, this.host.port());
		Measured.within("pause: abortCall of the abandoned call closes its socket", Duration.ofSeconds(2),
				Measured.since(abort));
		assertUsableAfterUnpause(proxy, call);
	}

	@Test
	void abortCallEndsAHungCallAndClosesItsSocket() {
		DefaultServiceProxy proxy = open((settings) -> settings);
		PendingCall<String> call = hungCalls(proxy, 1).get(0);
		long start = System.nanoTime();
		assertThat(proxy.abortCall(call.callId(), "hung")).isTrue();
		assertThat(Calls.failure(call)).isInstanceOf(CallAbortedException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.ABORTED);
		Measured.within("pause: abortCall releases the caller", VERB_BOUND, Measured.since(start));
		Calls.assertNothingLeft(proxy, this.host.port());
		Measured.within("pause: abortCall, socket closed", Duration.ofSeconds(2), Measured.since(start));
		assertUsableAfterUnpause(proxy, call);
	}

	@Test
	void aProxyAbortEndsEveryHungCall() {
		DefaultServiceProxy proxy = open((settings) -> settings);
		List<PendingCall<String>> calls = hungCalls(proxy, 3);
		long start = System.nanoTime();
		proxy.abort("hung service");
		for (PendingCall<String> call : calls) {
			assertThat(Calls.failure(call)).isInstanceOf(CallAbortedException.class);
			assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.ABORTED);
		}
		Measured.within("pause: proxy abort releases 3 callers", VERB_BOUND, Measured.since(start));
		assertThat(proxy.state()).isEqualTo(ProxyState.FAULTED);
		Calls.assertNothingLeft(proxy, this.host.port());
		proxy.reset();
		proxy.open();
		assertUsableAfterUnpause(proxy, calls.toArray(PendingCall[]::new));
	}

	@Test
	void aProxyCloseEndsEveryHungCallAtItsCloseTimeout() {
		Duration closeTimeout = Duration.ofSeconds(2);
		DefaultServiceProxy proxy = open((settings) -> settings.closeTimeout(closeTimeout));
		List<PendingCall<String>> calls = hungCalls(proxy, 3);
		long start = System.nanoTime();
		proxy.close();
		Duration closed = Measured.since(start);
		for (PendingCall<String> call : calls) {
			assertThat(Calls.failure(call)).isInstanceOf(CallAbortedException.class);
			assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.ABORTED);
		}
		Measured.within("pause: proxy close (close timeout 2 s) ends 3 calls", closeTimeout.plusSeconds(2),
				Measured.since(start));
		assertThat(closed).as("close waits for the close timeout").isGreaterThanOrEqualTo(closeTimeout);
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
		Calls.assertNothingLeft(proxy, this.host.port());
		proxy.reset();
		proxy.open();
		assertUsableAfterUnpause(proxy, calls.toArray(PendingCall[]::new));
	}

	/**
	 * Start long reports, wait until the host runs each of them, then pause the host.
	 */
	private List<PendingCall<String>> hungCalls(DefaultServiceProxy proxy, int count) {
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			calls.add(this.proxies.runningReport(proxy, this.host.port()));
		}
		this.host.pause();
		return calls;
	}

	private void assertUsableAfterUnpause(DefaultServiceProxy proxy, PendingCall<?>... ended) {
		this.host.unpause();
		assertThat(Proxies.quote(proxy)).contains("ACME");
		assertThat(proxy.pendingCalls()).isZero();
		// Nothing leaked on the host either: once it runs again, it sees each caller gone
		// and ends the operation (its report would otherwise run for a minute).
		for (PendingCall<?> call : ended) {
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(100))
				.untilAsserted(() -> assertThat(SampleHost.operations(this.host.port(), call.callId()))
					.as("host operations of %s after unpause", call.callId())
					.isEmpty());
		}
	}

}
