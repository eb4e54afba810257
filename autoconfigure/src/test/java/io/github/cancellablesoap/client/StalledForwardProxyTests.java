package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Aborts and timeouts while the forward proxy hangs: a raw server plays a forward proxy
 * that reads the request ({@code CONNECT} for https, the absolute-URI request for http)
 * and never answers. The caller is released at once, the socket to the forward proxy is
 * closed (seen from the forward proxy's side), and a call stuck in {@code CONNECT} says
 * it was connecting.
 */
class StalledForwardProxyTests {

	private static final Duration RELEASED_WITHIN = Duration.ofSeconds(1);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	@Test
	void anAbortWhileTheForwardProxyHangsOnConnectReleasesTheCallerAndClosesTheSocket() throws Exception {
		DefaultServiceProxy proxy = open(URI.create("https://service.invalid:8443/ws"), Duration.ofSeconds(30));
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection toProxy = this.fixture.awaitRequest(0);
		RecordedRequest connect = toProxy.lastRequest();
		assertThat(connect.method()).isEqualTo("CONNECT");
		assertThat(connect.header("Host")).isEqualTo("service.invalid:8443");
		assertThat(proxy.call(call.callId()).orElseThrow().phase()).isEqualTo(CallPhase.CONNECTING);

		abortAndAssertReleasedAndClosed(proxy, call, toProxy);
	}

	@Test
	void aTimeoutWhileTheForwardProxyHangsOnConnectClosesTheSocketAndSaysItWasConnecting() throws Exception {
		DefaultServiceProxy proxy = open(URI.create("https://service.invalid:8443/ws"), Duration.ofMillis(1500));
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection toProxy = this.fixture.awaitRequest(0);
		assertThat(toProxy.lastRequest().method()).isEqualTo("CONNECT");
		assertThat(proxy.call(call.callId()).map(CallInfo::phase)).contains(CallPhase.CONNECTING);

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallTimedOutException.class);
		assertThat(toProxy.awaitClosedByPeer(Duration.ofSeconds(5))).as("socket to the forward proxy closed").isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anAbortWhileTheForwardProxyHangsOnAnHttpRequestClosesTheSocket() throws Exception {
		DefaultServiceProxy proxy = open(URI.create("http://service.invalid:8080/ws"), Duration.ofSeconds(30));
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection toProxy = this.fixture.awaitRequest(0);
		assertThat(toProxy.lastRequest().method()).isEqualTo("POST");
		assertThat(toProxy.lastRequest().target()).isEqualTo("http://service.invalid:8080/ws");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> proxy.call(call.callId()).map(CallInfo::phase).orElse(null) == CallPhase.WAITING_FOR_RESPONSE);

		abortAndAssertReleasedAndClosed(proxy, call, toProxy);
	}

	@Test
	void manyAbortsRacingTheConnectToTheForwardProxyLeaveNoSocketOpen() throws Exception {
		DefaultServiceProxy proxy = open(URI.create("https://service.invalid:8443/ws"), Duration.ofSeconds(30));
		int calls = 20;
		List<PendingCall<String>> pending = new java.util.ArrayList<>();
		for (int i = 0; i < calls; i++) {
			PendingCall<String> call = this.fixture.submit(proxy);
			pending.add(call);
			if (i % 2 == 0) {
				proxy.abortCall(call.callId(), "operator");
			}
		}
		assertThat(proxy.abort("operator")).isTrue();
		for (PendingCall<String> call : pending) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(ServiceCallException.class);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.fixture.server().connections().stream().allMatch((c) -> !c.isOpen()));
		assertThat(this.fixture.server().connections()).allSatisfy((c) -> assertThat(c.isOpen()).isFalse());
	}

	private static void abortAndAssertReleasedAndClosed(ServiceProxy proxy, PendingCall<String> call,
			ServerConnection toProxy) {
		long start = System.nanoTime();
		assertThat(proxy.abortCall(call.callId(), "operator")).isTrue();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(RELEASED_WITHIN.toNanos(), TimeUnit.NANOSECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		assertThat(System.nanoTime() - start).isLessThan(RELEASED_WITHIN.toNanos());
		assertThat(toProxy.awaitClosedByPeer(Duration.ofSeconds(5))).as("socket to the forward proxy closed").isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	private DefaultServiceProxy open(URI address, Duration callTimeout) {
		return this.fixture.open(address, (settings) -> settings.callTimeout(callTimeout).connection(stalled()));
	}

	private ConnectionSettings stalled() {
		return new ConnectionSettings(new ForwardProxy("127.0.0.1", this.fixture.server().port(), null, List.of()),
				null, false, PoolSettings.DEFAULTS);
	}

}
