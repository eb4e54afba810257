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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.wait.strategy.Wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stalled body: {@link StallingSoapServer} in a container answers {@code 200} and the
 * start of an envelope, then dribbles a byte every 100 ms; pausing the container stalls
 * the body completely. An abort releases the caller and closes the socket (the server
 * sees it close), and a dribbling body does not stretch the call timeout.
 */
@EnabledIfDocker
class StalledBodyIT {

	private static FaultContainer server;

	@RegisterExtension
	final Proxies proxies = new Proxies();

	@BeforeAll
	static void startTheServer() {
		server = FaultContainer.create("stalling-server", FaultImages.stalling(), 8080,
				Wait.forLogMessage(".*stalling server listening.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)),
				(container) -> {
				});
		server.start();
	}

	@AfterAll
	static void removeTheServer() {
		if (server != null) {
			server.close();
		}
	}

	@AfterEach
	void unpause() {
		if (server.isPaused()) {
			server.unpause();
		}
	}

	@Test
	void anAbortReleasesACallWhoseBodyStalledAndClosesItsSocket() {
		DefaultServiceProxy proxy = this.proxies.open(address(), (settings) -> settings);
		int closedBefore = closedByClient();
		PendingCall<String> call = this.proxies.call(proxy, "<stall xmlns=\"urn:stalling\"/>");
		Proxies.awaitPhase(proxy, call, CallPhase.RECEIVING);
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
		await().atMost(Duration.ofSeconds(5)).until(() -> closedByClient() > closedBefore);
	}

	@Test
	void aDribblingBodyDoesNotStretchTheCallTimeout() {
		Duration timeout = Duration.ofSeconds(3);
		DefaultServiceProxy proxy = this.proxies.open(address(),
				(settings) -> settings.callTimeout(timeout).timeoutAction(TimeoutAction.ABORT));
		int closedBefore = closedByClient();
		long start = System.nanoTime();
		PendingCall<String> call = this.proxies.call(proxy, "<stall xmlns=\"urn:stalling\"/>");
		Proxies.awaitPhase(proxy, call, CallPhase.RECEIVING);
		assertThat(Calls.failure(call)).isInstanceOf(CallTimedOutException.class);
		assertThat(this.proxies.outcome(call)).isEqualTo(CallOutcome.TIMED_OUT);
		Measured.within("dribbling body: call timeout 3 s (from the call's start)", timeout.plusSeconds(2),
				Measured.since(start));
		Calls.assertNothingLeft(proxy, server.port());
		await().atMost(Duration.ofSeconds(5)).until(() -> closedByClient() > closedBefore);
	}

	private static URI address() {
		return URI.create("http://127.0.0.1:" + server.port() + "/stall");
	}

	/** How many connections the server saw the client close, from its log. */
	private static int closedByClient() {
		return (int) server.logs().lines().filter((line) -> line.contains("closed by the client")).count();
	}

}
