package io.github.cancellablesoap.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.Tinyproxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a proxy sends its peer when it aborts a call: one cancel naming the call id and
 * its token, only to a peer whose answers said it understands one, only for a request
 * that was sent, and nothing for an abandon. The peer is a scripted server that records
 * every request.
 */
class ExplicitCancelSendingTests {

	private static final Duration QUIET = Duration.ofSeconds(2);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void everyRequestCarriesAFreshToken() {
		DefaultServiceProxy proxy = this.fixture.open();
		ProxyFixture.echo(proxy);
		ProxyFixture.echo(proxy);
		List<RecordedRequest> requests = requests(server());
		assertThat(requests).hasSize(2);
		String first = requests.get(0).header(WireProtocol.CALL_TOKEN_HEADER);
		String second = requests.get(1).header(WireProtocol.CALL_TOKEN_HEADER);
		assertThat(first).matches("[A-Za-z0-9_-]{22}");
		assertThat(second).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(first);
	}

	@Test
	void abortingACallSendsOneCancelWithItsIdAndToken() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings);
		PendingCall<String> call = this.fixture.submit(proxy);
		RecordedRequest hung = awaitHungRequest();
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		RecordedRequest cancel = awaitCancel(call.callId());
		assertThat(cancel.method()).isEqualTo("POST");
		assertThat(cancel.target()).isEqualTo("/ws");
		assertThat(cancel.body()).isEmpty();
		assertThat(cancel.header(WireProtocol.CALL_TOKEN_HEADER)).isEqualTo(hung.header(WireProtocol.CALL_TOKEN_HEADER))
			.isNotNull();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> cancels(call.callId()).size() == 1);
	}

	@Test
	void theCancelCarriesTheProxysCredentials() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings.connection(
				new ConnectionSettings(null, new BasicCredentials("alice", "s3cret"), false, PoolSettings.DEFAULTS)));
		PendingCall<String> call = this.fixture.submit(proxy);
		RecordedRequest hung = awaitHungRequest();
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		assertThat(awaitCancel(call.callId()).header("Authorization")).isEqualTo(hung.header("Authorization"))
			.startsWith("Basic ");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void theCancelTakesTheCallsWayThroughTheForwardProxy(boolean authenticating, @TempDir Path dir) throws Exception {
		assumeTrue(Tinyproxy.installed(), "no tinyproxy binary: install Debian's package tinyproxy to run this test");
		Tinyproxy tinyproxy = this.fixture
			.closeAfter(authenticating ? Tinyproxy.start(dir, "alice", "s3cret") : Tinyproxy.start(dir));
		BasicCredentials login = authenticating ? new BasicCredentials("alice", "s3cret") : null;
		DefaultServiceProxy proxy = knownPeer((settings) -> settings
			.connection(ForwardProxyIntegrationTests.connection(tinyproxy, login, List.of())));
		PendingCall<String> call = this.fixture.submit(proxy);
		RecordedRequest hung = awaitHungRequest();
		assertThat(hung.header("Via")).as("the call went through the forward proxy").contains("test-tinyproxy");
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		RecordedRequest cancel = awaitCancel(call.callId());
		assertThat(cancel.header("Via")).as("so did its cancel").contains("test-tinyproxy");
		assertThat(cancel.header(WireProtocol.CALL_TOKEN_HEADER))
			.isEqualTo(hung.header(WireProtocol.CALL_TOKEN_HEADER));
	}

	@Test
	void aProxyAbortSendsTheCancelsOfItsCallsThoughItsClientStops() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings);
		PendingCall<String> call = this.fixture.submit(proxy);
		awaitHungRequest();
		assertThat(proxy.abort("maintenance")).isTrue();
		assertThat(awaitCancel(call.callId()).body()).isEmpty();
	}

	@Test
	void aTimeoutThatAbortsSendsTheCancel() throws Exception {
		DefaultServiceProxy proxy = knownPeer(
				(settings) -> settings.callTimeout(Duration.ofSeconds(2)).timeoutAction(TimeoutAction.ABORT));
		PendingCall<String> call = this.fixture.submit(proxy);
		awaitHungRequest();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallTimedOutException.class);
		awaitCancel(call.callId());
	}

	@Test
	void aCallAbortedWhileItsAnswerArrivesSendsNothing() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings);
		server().setBehaviour(Behaviour.stallBody(200, ProxyFixture.SOAP_CONTENT_TYPE, 5000, "<soapenv:Envelope")
			.withHeader(WireProtocol.CANCEL_SUPPORT_HEADER, WireProtocol.CANCEL_SUPPORTED));
		PendingCall<String> call = this.fixture.submit(proxy);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> proxy.call(call.callId()).map(CallInfo::phase).orElse(null) == CallPhase.RECEIVING);
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests(server()).size() == 2);
	}

	@Test
	void anAbandonSendsNothing() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings.abandonedIoTimeout(Duration.ofSeconds(30)));
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = awaitHungConnection();
		assertThat(proxy.abandon(call.callId())).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests(server()).size() == 2);
		assertThat(connection.isClosedByPeer()).as("the abandoned call's I/O still runs").isFalse();
	}

	@Test
	void aThirdPartyPeerThatAnsweredWithoutTheHeaderNeverReceivesACancel() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		ProxyFixture.echo(proxy);
		server().setBehaviour(Behaviour.hangBeforeHeaders());
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = awaitHungConnection();
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests(server()).size() == 2);
		assertThat(requests(server())).noneMatch((request) -> request.header(WireProtocol.CANCEL_CALL_HEADER) != null);
	}

	@Test
	void aPeerNeverHeardFromReceivesNoCancel() throws Exception {
		server().setBehaviour(Behaviour.hangBeforeHeaders());
		DefaultServiceProxy proxy = this.fixture.open();
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests(server()).size() == 1);
	}

	@Test
	void aPeerWhoseLaterAnswerLacksTheHeaderIsForgotten() throws Exception {
		DefaultServiceProxy proxy = knownPeer((settings) -> settings);
		server().setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		ProxyFixture.echo(proxy);
		server().setBehaviour(Behaviour.hangBeforeHeaders());
		PendingCall<String> call = this.fixture.submit(proxy);
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(server()).size() == 3);
		assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests(server()).size() == 3);
	}

	/**
	 * An open proxy whose peer answered once with the support header; the peer now hangs
	 * before any answer.
	 */
	private DefaultServiceProxy knownPeer(java.util.function.UnaryOperator<ProxySettings.Builder> customizer) {
		server().setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse())
			.withHeader(WireProtocol.CANCEL_SUPPORT_HEADER, WireProtocol.CANCEL_SUPPORTED));
		DefaultServiceProxy proxy = this.fixture.open(customizer);
		ProxyFixture.echo(proxy);
		server().setBehaviour(Behaviour.hangBeforeHeaders());
		return proxy;
	}

	private RecordedRequest awaitHungRequest() {
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(server()).size() == 2);
		return requests(server()).get(1);
	}

	private ServerConnection awaitHungConnection() {
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(server()).size() == 2);
		return server().connections()
			.stream()
			.filter((connection) -> connection.requestCount() > 0 && !connection.isClosedByPeer())
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	private RecordedRequest awaitCancel(String callId) {
		await().atMost(Duration.ofSeconds(5)).until(() -> !cancels(callId).isEmpty());
		return cancels(callId).get(0);
	}

	private List<RecordedRequest> cancels(String callId) {
		return requests(server()).stream()
			.filter((request) -> callId.equals(request.header(WireProtocol.CANCEL_CALL_HEADER)))
			.toList();
	}

	private ScriptedHttpServer server() {
		return this.fixture.server();
	}

	private static List<RecordedRequest> requests(ScriptedHttpServer server) {
		return server.connections().stream().flatMap((connection) -> connection.requests().stream()).toList();
	}

}
