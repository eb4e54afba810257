package io.github.cancellablesoap.faults;

import java.net.URI;
import java.time.Duration;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.TimeoutAction;
import org.junit.jupiter.api.Test;

import org.springframework.ws.client.WebServiceIOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A killed service and a cut network: the sample's host in a container, killed or
 * disconnected from its network while a proxy in this JVM waits for its answer.
 * <p>
 * Through the published port (docker-proxy) both faults look the same to the client: the
 * kernel closes a killed process's sockets, and a disconnect stops the container's
 * docker-proxy, which closes the client's connection; the call FAILS at once (outcome
 * FAILED; the caller gets Spring WS's {@link WebServiceIOException}, as from a plain
 * {@code WebServiceTemplate}: {@code CallFailedException} is for TLS failures). Straight
 * to the container's bridge address a disconnect is silent: nothing comes back, so only
 * the call timeout or an abort ends the call.
 */
class KilledAndCutServiceIT extends SampleHostFaults {

	private static final Duration FAILURE_BOUND = Duration.ofSeconds(5);

	@Test
	void aKilledServiceFailsTheCallAndTheProxyStaysOpenForTheServiceStartedAgain() {
		DefaultServiceProxy proxy = open((settings) -> settings);
		PendingCall<String> call = this.proxies.runningReport(proxy, this.host.port());
		long start = System.nanoTime();
		try {
			this.host.kill();
			assertThat(Calls.failure(call)).isInstanceOf(WebServiceIOException.class);
			assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.FAILED);
			Measured.within("kill: the call FAILED", FAILURE_BOUND, Measured.since(start));
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
			Calls.assertNothingLeft(proxy, this.host.port());
		}
		finally {
			long restart = System.nanoTime();
			this.host.startAgain();
			Measured.within("kill: the service started again (same published port)", Duration.ofSeconds(120),
					Measured.since(restart));
		}
		assertThat(Proxies.quote(proxy)).contains("ACME");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aNetworkCutBehindDockerProxyFailsTheCall() {
		DefaultServiceProxy proxy = open((settings) -> settings);
		PendingCall<String> call = this.proxies.runningReport(proxy, this.host.port());
		long start = System.nanoTime();
		try {
			this.host.disconnect();
			assertThat(Calls.failure(call)).isInstanceOf(WebServiceIOException.class);
			assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.FAILED);
			Measured.within("network disconnect, through docker-proxy: the call FAILED", FAILURE_BOUND,
					Measured.since(start));
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
			Calls.assertNothingLeft(proxy, this.host.port());
		}
		finally {
			this.host.reconnect();
		}
		assertThat(Proxies.quote(proxy)).contains("ACME");
	}

	@Test
	void aSilentNetworkCutIsEndedByTheCallTimeoutOrAnAbort() {
		URI direct = URI.create("http://" + this.host.bridgeAddress() + ":8080/soap/quotes");
		Duration timeout = Duration.ofSeconds(3);
		DefaultServiceProxy timing = this.proxies.open(direct,
				(settings) -> settings.callTimeout(timeout).timeoutAction(TimeoutAction.ABORT));
		DefaultServiceProxy aborting = this.proxies.open(direct, (settings) -> settings);
		PendingCall<String> aborted = this.proxies.runningReport(aborting, this.host.port());
		long timedStart = System.nanoTime();
		// runningReport returns once the host runs the call: the request went out before
		// the cut, and the cut must come before the call timeout, else its timeout would
		// prove nothing about the cut (checked below, so a slow machine fails, not
		// passes).
		PendingCall<String> timed = this.proxies.runningReport(timing, this.host.port());
		try {
			this.host.disconnect();
			assertThat(Measured.since(timedStart)).as("the cut came before the call timeout").isLessThan(timeout);
			assertThat(timed.result()).as("the timed call still waits after the cut").isNotDone();
			long start = System.nanoTime();
			assertThat(aborting.abortCall(aborted.callId(), "network cut")).isTrue();
			assertThat(Calls.failure(aborted)).isInstanceOf(CallAbortedException.class);
			assertThat(this.proxies.outcome(aborted)).isEqualTo(CallOutcome.ABORTED);
			Measured.within("network disconnect, bridge address: abortCall releases the caller", Duration.ofSeconds(1),
					Measured.since(start));
			assertThat(Calls.failure(timed)).isInstanceOf(CallTimedOutException.class);
			assertThat(this.proxies.outcome(timed)).isEqualTo(CallOutcome.TIMED_OUT);
			Measured.within("network disconnect, bridge address: call timeout 3 s (from the call's start)",
					timeout.plusSeconds(2), Measured.since(timedStart));
			Calls.assertNothingLeft(timing, 8080);
			Calls.assertNothingLeft(aborting, 8080);
		}
		finally {
			this.host.reconnect();
		}
	}

}
