package io.github.cancellablesoap.faults;

import java.net.URI;
import java.time.Duration;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.TimeoutAction;
import io.github.cancellablesoap.test.docker.EnabledIfDocker;
import io.github.cancellablesoap.test.MisbehavingSoapServiceExtension;
import io.github.cancellablesoap.test.SoapBehaviour;
import io.github.cancellablesoap.test.SoapRequest;
import io.github.cancellablesoap.test.docker.MisbehavingSoapServiceContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stalled body: the misbehaving SOAP service in a container
 * ({@link MisbehavingSoapServiceContainer}) answers {@code 200} with the whole
 * {@code Content-Length} and dribbles the body a byte every 100 ms; pausing the container
 * stalls the body completely. An abort releases the caller and closes the socket, and a
 * dribbling body does not stretch the call timeout; in both, the service itself says that
 * the client closed the connection of that very request.
 */
@EnabledIfDocker
class StalledBodyIT {

	private static final Duration DRIBBLE_EVERY = Duration.ofMillis(100);

	/** Long enough to dribble for a quarter of an hour. */
	private static final String LONG_ANSWER = "<r xmlns=\"urn:stalling\">" + "x".repeat(10_000) + "</r>";

	private static final MisbehavingSoapServiceContainer server = MisbehavingSoapServiceContainer.builder()
		.repository("faults-misbehaving-soap-service")
		.runtimeRepository(FaultImages.RUNTIME_REPOSITORY)
		.name("faults-misbehaving-soap-service-" + ProcessHandle.current().pid())
		.build();

	@RegisterExtension
	static final MisbehavingSoapServiceExtension service = new MisbehavingSoapServiceExtension(server::start);

	@RegisterExtension
	final Proxies proxies = new Proxies();

	@AfterEach
	void unpause() {
		// before the extension resets the service, which a paused one would not answer
		if (server.isPaused()) {
			server.unpause();
		}
	}

	@Test
	void anAbortReleasesACallWhoseBodyStalledAndClosesItsSocket() {
		server.enqueue(SoapBehaviour.answer(LONG_ANSWER).dribble(1, DRIBBLE_EVERY));
		DefaultServiceProxy proxy = this.proxies.open(address(), (settings) -> settings);
		PendingCall<String> call = this.proxies.call(proxy, "<stall xmlns=\"urn:stalling\"/>");
		Proxies.awaitPhase(proxy, call, CallPhase.RECEIVING);
		SoapRequest request = server.awaitRequest(0, Duration.ofSeconds(5));
		server.pause();
		long start = System.nanoTime();
		assertThat(proxy.abortCall(call.callId(), "stalled body")).isTrue();
		assertThat(Calls.failure(call)).isInstanceOf(CallAbortedException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.ABORTED);
		Measured.within("stalled body (paused mid-body): abortCall releases the caller", Duration.ofSeconds(1),
				Measured.since(start));
		Calls.assertNothingLeft(proxy, server.port());
		Measured.within("stalled body (paused mid-body): abortCall, socket closed", Duration.ofSeconds(2),
				Measured.since(start));
		server.unpause();
		assertThat(server.awaitClosedByClient(request, Duration.ofSeconds(5)).closedByClient())
			.as("the service saw the client close the connection of the stalled request")
			.isTrue();
	}

	@Test
	void aDribblingBodyDoesNotStretchTheCallTimeout() {
		server.enqueue(SoapBehaviour.answer(LONG_ANSWER).dribble(1, DRIBBLE_EVERY));
		Duration timeout = Duration.ofSeconds(3);
		DefaultServiceProxy proxy = this.proxies.open(address(),
				(settings) -> settings.callTimeout(timeout).timeoutAction(TimeoutAction.ABORT));
		long start = System.nanoTime();
		PendingCall<String> call = this.proxies.call(proxy, "<stall xmlns=\"urn:stalling\"/>");
		Proxies.awaitPhase(proxy, call, CallPhase.RECEIVING);
		assertThat(Calls.failure(call)).isInstanceOf(CallTimedOutException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.TIMED_OUT);
		Measured.within("dribbling body: call timeout 3 s (from the call's start)", timeout.plusSeconds(2),
				Measured.since(start));
		Calls.assertNothingLeft(proxy, server.port());
		SoapRequest request = server.awaitRequest(0, Duration.ofSeconds(5));
		assertThat(server.awaitClosedByClient(request, Duration.ofSeconds(5)).closedByClient())
			.as("the service saw the client close the connection of the dribbling answer")
			.isTrue();
	}

	private static URI address() {
		return server.uri("/stall");
	}

}
