package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The proxy state machine, its quota, graceful close and reset, against a real loopback
 * server.
 */
class ProxyLifecycleTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void aCallCompletesAndLeavesNothingBehind() {
		DefaultServiceProxy proxy = this.fixture.open();
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(proxy.calls()).isEmpty();
		assertThat(proxy.pendingCalls()).isZero();
	}

	@Test
	void theCallIdAndRemainingBudgetAreSentToThePeer() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofSeconds(20)));
		PendingCall<String> call = this.fixture.submit(proxy);
		call.result().get(10, TimeUnit.SECONDS);
		var request = this.fixture.server().awaitConnection(0, Duration.ofSeconds(5)).lastRequest();
		assertThat(request.header("Soap-Call-Id")).isEqualTo(call.callId());
		assertThat(Long.parseLong(request.header("Soap-Call-Timeout"))).isBetween(1L, 20_000L);
	}

	@Test
	void aCallOnAProxyThatIsNotOpenIsRejectedNamingTheProxyAndItsState() {
		DefaultServiceProxy proxy = this.fixture.create((settings) -> settings);
		assertThatExceptionOfType(CallRejectedException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessageContaining("Proxy 'test' is CREATED, not OPEN")
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(CallOutcome.REJECTED));
		assertThat(this.fixture.server().connections()).isEmpty();
	}

	@Test
	void verbsInTheWrongStateFailWithTheStateNamed() {
		DefaultServiceProxy proxy = this.fixture.open();
		proxy.open();
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThatIllegalStateException().isThrownBy(proxy::reset).withMessage("Cannot reset proxy 'test': it is OPEN");
		assertThat(proxy.abort("first")).isTrue();
		assertThat(proxy.abort("second")).isFalse();
		assertThat(proxy.state()).isEqualTo(ProxyState.FAULTED);
		assertThatIllegalStateException().isThrownBy(proxy::open)
			.withMessage("Cannot open proxy 'test': it is FAULTED");
	}

	@Test
	void aProxyResetAfterAnAbortServesCallsAgain() {
		DefaultServiceProxy proxy = this.fixture.open();
		proxy.abort("maintenance");
		proxy.reset();
		assertThat(proxy.state()).isEqualTo(ProxyState.CREATED);
		proxy.open();
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
	}

	@Test
	void callsBeyondMaxPendingCallsAreRejectedAndAbandonedCallsStillCount() throws Exception {
		this.fixture.server().setBehaviour(Behaviour.hangBeforeHeaders());
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(2));
		PendingCall<String> first = this.fixture.submit(proxy);
		PendingCall<String> second = this.fixture.submit(proxy);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.server().requestCount() == 2);
		assertThatExceptionOfType(CallRejectedException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessageContaining("has 2 calls in flight (max-pending-calls, abandoned calls included)");
		assertThat(proxy.abandon(first.callId())).isTrue();
		ProxyFixture.assertFailsWith(first, Duration.ofSeconds(1), CallAbandonedException.class, "was abandoned");
		assertThatExceptionOfType(CallRejectedException.class).isThrownBy(() -> ProxyFixture.echo(proxy));
		assertThat(proxy.abortCall(first.callId(), "free the slot")).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 1);
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(proxy.abortCall(second.callId())).isTrue();
	}

	@Test
	void closeLetsPendingCallsFinishWithinTheCloseTimeout() throws Exception {
		this.fixture.server()
			.setBehaviour(
					Behaviour.respondWhenReleased(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.closeTimeout(Duration.ofSeconds(30)));
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			calls.add(this.fixture.submit(proxy));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.server().requestCount() == 5);
		CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.state() == ProxyState.CLOSING);
		assertThatExceptionOfType(CallRejectedException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessageContaining("is CLOSING");
		this.fixture.server().releaseAll();
		closing.get(10, TimeUnit.SECONDS);
		for (PendingCall<String> call : calls) {
			assertThat(call.result().get(1, TimeUnit.SECONDS)).contains("echoResponse");
		}
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
	}

	@Test
	void closeAbortsWhatIsLeftWhenTheCloseTimeoutPasses() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.closeTimeout(Duration.ofMillis(300)));
		PendingCall<String> call = hangingCall(proxy);
		proxy.close();
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(1), CallAbortedException.class, "close-timeout");
		assertThat(this.fixture.server().connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void anAbortDuringCloseEndsTheCloseAtOnce() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.closeTimeout(Duration.ofMinutes(5)));
		PendingCall<String> call = hangingCall(proxy);
		CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.state() == ProxyState.CLOSING);
		assertThat(proxy.abort("stop now")).isTrue();
		closing.get(5, TimeUnit.SECONDS);
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(1), CallAbortedException.class, "was aborted: stop now");
	}

	@Test
	void aPerCallTimeoutOverridesTheProxyTimeout() {
		this.fixture.server().setBehaviour(Behaviour.hangBeforeHeaders());
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		assertThatExceptionOfType(CallTimedOutException.class)
			.isThrownBy(() -> ProxyFixture.echo(proxy.withCallTimeout(Duration.ofMillis(200))))
			.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(200)));
		assertThat(this.fixture.server().connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aTransportFailureFailsTheCallButNotTheProxy() {
		this.fixture.server().setBehaviour(Behaviour.closeImmediately());
		DefaultServiceProxy proxy = this.fixture.open();
		assertThatExceptionOfType(org.springframework.ws.client.WebServiceIOException.class)
			.isThrownBy(() -> ProxyFixture.echo(proxy));
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThat(proxy.pendingCalls()).isZero();
	}

	@Test
	void unknownCallsAndChannelsChangeNothing() {
		DefaultServiceProxy proxy = this.fixture.open();
		assertThat(proxy.abandon("c-zzz")).isFalse();
		assertThat(proxy.abortCall("c-zzz")).isFalse();
		assertThat(proxy.abortChannel("ch-zzz", null)).isFalse();
		assertThat(proxy.call("c-zzz")).isEmpty();
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	/**
	 * A call whose request the server received and will never answer.
	 */
	private PendingCall<String> hangingCall(ServiceProxy proxy) {
		this.fixture.server().setBehaviour(Behaviour.hangBeforeHeaders());
		PendingCall<String> call = this.fixture.submit(proxy);
		this.fixture.awaitRequest(0);
		return call;
	}

}
