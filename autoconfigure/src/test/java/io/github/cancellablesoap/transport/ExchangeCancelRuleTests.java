package io.github.cancellablesoap.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When an aborted exchange sends its call's cancel: only once its request started to go
 * out and before its answer's head arrived, only to a peer that said it understands one,
 * and only once however often it is aborted.
 */
class ExchangeCancelRuleTests {

	private static final Duration QUIET = Duration.ofSeconds(2);

	@AutoClose
	private final ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(202, "text/plain", "ok"));

	private final URI address = this.server.uri("/hosts/c");

	private final CancelSender sender = new CancelSender("test");

	@Test
	void anExchangeAbortedWhileConnectingSendsNothing() {
		this.sender.learn(this.address, WireProtocol.CANCEL_SUPPORTED);
		abortedIn(CallPhase.CONNECTING, "c-connecting");
		assertNoRequestFor(QUIET);
	}

	@Test
	void anExchangeAbortedWhileSendingOrWaitingSendsOneCancel() {
		this.sender.learn(this.address, WireProtocol.CANCEL_SUPPORTED);
		abortedIn(CallPhase.SENDING, "c-sending").abort();
		abortedIn(CallPhase.WAITING_FOR_RESPONSE, "c-waiting");
		await().atMost(Duration.ofSeconds(5)).until(() -> requests().size() == 2);
		await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> requests().size() == 2);
		assertThat(requests()).extracting((request) -> request.header(WireProtocol.CANCEL_CALL_HEADER))
			.containsExactlyInAnyOrder("c-sending", "c-waiting");
		assertThat(requests()).allSatisfy((request) -> {
			assertThat(request.target()).isEqualTo("/hosts/c");
			assertThat(request.header(WireProtocol.CALL_TOKEN_HEADER)).isEqualTo("token-of-the-call");
		});
	}

	@Test
	void anExchangeWhoseAnswerHeadArrivedSendsNothing() {
		HttpExchange exchange = exchange("c-answered");
		exchange.phase(CallPhase.SENDING);
		exchange.answered(WireProtocol.CANCEL_SUPPORTED);
		assertThat(this.sender.understands(this.address)).isTrue();
		exchange.abort();
		assertNoRequestFor(QUIET);
	}

	@Test
	void aPeerThatNeverSaidSoReceivesNothing() {
		for (String said : new String[] { null, "maybe" }) {
			this.sender.learn(this.address, said);
			abortedIn(CallPhase.WAITING_FOR_RESPONSE, "c-said-" + said);
		}
		assertNoRequestFor(QUIET);
	}

	@Test
	void addressesAreRememberedWithoutQueryAndUpToABound() {
		this.sender.learn(URI.create("http://Example.org:80/x?a=1"), WireProtocol.CANCEL_SUPPORTED);
		assertThat(this.sender.understands(URI.create("http://example.org:80/x?b=2"))).isTrue();
		assertThat(this.sender.understands(URI.create("http://example.org:80/y"))).isFalse();
		for (int i = 0; i < CancelSender.MAX_ADDRESSES + 10; i++) {
			this.sender.learn(URI.create("http://h" + i + ".example/"), WireProtocol.CANCEL_SUPPORTED);
		}
		assertThat(this.sender.understands(URI.create("http://h" + (CancelSender.MAX_ADDRESSES + 5) + ".example/")))
			.as("beyond the bound")
			.isFalse();
		this.sender.learn(URI.create("http://example.org:80/x"), null);
		assertThat(this.sender.understands(URI.create("http://example.org:80/x"))).as("forgotten").isFalse();
	}

	/**
	 * An exchange of call {@code callId} that reached {@code phase} and was aborted once.
	 */
	private HttpExchange abortedIn(CallPhase phase, String callId) {
		HttpExchange exchange = exchange(callId);
		exchange.phase(phase);
		exchange.abort();
		return exchange;
	}

	private HttpExchange exchange(String callId) {
		return new HttpExchange(new RecordingCall(callId), ProxySettings.builder("test", this.address).build(),
				new HttpExchange.Cancellable(this.sender, this.address, "token-of-the-call"));
	}

	private void assertNoRequestFor(Duration quiet) {
		await().during(quiet).atMost(quiet.multipliedBy(3)).until(() -> requests().isEmpty());
	}

	private List<RecordedRequest> requests() {
		return this.server.connections().stream().flatMap((connection) -> connection.requests().stream()).toList();
	}

}
