package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.Racers;
import io.github.cancellablesoap.testsupport.WsSecurityKeys;
import org.apache.wss4j.dom.WSConstants;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.soap.SoapBody;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.client.SoapFaultClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A proxy whose template signs its requests with Spring WS's
 * {@code Wss4jSecurityInterceptor} (a timestamp, a UsernameToken and an X.509 signature),
 * against a server that never answers: the signed request goes out; abort releases the
 * caller and closes the socket; abandon releases the caller and leaves the I/O to its
 * limit; aborts racing the signing on many threads end every call, sent or not, and leak
 * nothing.
 */
class WsSecurityProxyTests {

	private static final Duration RELEASE_BOUND = Duration.ofSeconds(1);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	@Test
	void anAbortReleasesTheCallerAndClosesTheSocketOfASignedCall() {
		DefaultServiceProxy proxy = signing((settings) -> settings);
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(connection.lastRequestBody()).contains("wsse:Security")
			.contains("ds:Signature")
			.contains("wsse:UsernameToken")
			.contains("#PasswordDigest")
			.doesNotContain(WsSecurityKeys.PASSWORD);
		assertThat(proxy.abortCall(call.callId(), "stuck signed call")).isTrue();
		ProxyFixture.assertFailsWith(call, RELEASE_BOUND, CallAbortedException.class, "stuck signed call");
		assertThat(connection.awaitClosedByPeer(RELEASE_BOUND)).as("socket closed by the abort").isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anAbandonReleasesTheCallerOfASignedCallAndLeavesItsIoToItsLimit() {
		Duration limit = Duration.ofMillis(1500);
		DefaultServiceProxy proxy = signing((settings) -> settings.abandonedIoTimeout(limit));
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(proxy.abandon(call.callId())).isTrue();
		ProxyFixture.assertFailsWith(call, RELEASE_BOUND, CallAbandonedException.class, "abandoned");
		assertThat(connection.isClosedByPeer()).as("an abandon touches no I/O").isFalse();
		assertThat(proxy.abandonedCalls()).isEqualTo(1);
		assertThat(connection.awaitClosedByPeer(limit.multipliedBy(5))).as("closed at the abandoned-I/O limit")
			.isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	/**
	 * Each racer submits a signed call and aborts it at once, while its task is queued,
	 * signing, or waiting for the answer: every call fails as aborted, every request that
	 * went out has its socket closed, and no slot stays taken.
	 */
	@Test
	void abortsRacingTheSigningEndEveryCall() throws Exception {
		int racers = 16;
		int rounds = 4;
		DefaultServiceProxy proxy = signing((settings) -> settings.maxPendingCalls(racers * rounds));
		Queue<PendingCall<String>> calls = new ConcurrentLinkedQueue<>();
		Racers.race(this.fixture.threads(), racers, Duration.ofSeconds(60), (racer) -> {
			for (int round = 0; round < rounds; round++) {
				PendingCall<String> call = this.fixture.submit(proxy);
				calls.add(call);
				assertThat(proxy.abortCall(call.callId(), "raced")).isTrue();
			}
		});
		for (PendingCall<String> call : calls) {
			ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class, "raced");
		}
		ProxyFixture.awaitNothingInFlight(proxy);
		List<ServerConnection> connections = new ArrayList<>(this.fixture.server().connections());
		for (ServerConnection connection : connections) {
			if (connection.requestCount() > 0) {
				assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("%s closed", connection).isTrue();
			}
		}
		// A connection that carried no whole request may be one whose connect an abort
		// cancelled just as HttpCore registered its socket (a race inside HttpCore: the
		// README's "what remains" of an abort racing a new connection): it holds no
		// connection of the pool, and closes at the latest when the transport stops.
		proxy.close();
		for (ServerConnection connection : connections) {
			assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("%s closed", connection).isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.server().openConnectionCount() == 0);
	}

	/**
	 * Spring WS's template picks its fault handling before the interceptors see the
	 * response; a response an interceptor then turns into a fault (as the WS-Security
	 * interceptor does when a response fails validation) still fails the call, on the
	 * caller's thread, without leaking.
	 */
	@Test
	void aResponseAnInterceptorTurnsIntoAFaultFailsTheCall() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		WebServiceTemplate template = new WebServiceTemplate();
		template.setInterceptors(new ClientInterceptor[] { new FaultingInterceptor() });
		DefaultServiceProxy proxy = this.fixture
			.create(ProxySettings.builder("faulting", this.fixture.server().uri("/ws")).build(), template);
		proxy.open();
		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessage("response refused by an interceptor");
		assertThat(template.getInterceptors()).hasSize(1);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	private DefaultServiceProxy signing(UnaryOperator<ProxySettings.Builder> customizer) {
		WebServiceTemplate template = new WebServiceTemplate();
		template.setInterceptors(new ClientInterceptor[] { WsSecurityKeys.trusted(WSConstants.PW_DIGEST) });
		DefaultServiceProxy proxy = this.fixture.create(
				customizer.apply(ProxySettings.builder("signed", this.fixture.server().uri("/ws"))).build(), template);
		proxy.open();
		return proxy;
	}

	/**
	 * Replaces every response with a fault and stops the chain, as Spring WS's security
	 * interceptors do with a response that fails validation. Stateless.
	 */
	private static final class FaultingInterceptor implements ClientInterceptor {

		@Override
		public boolean handleRequest(MessageContext messageContext) {
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext) {
			SoapBody body = ((SoapMessage) messageContext.getResponse()).getSoapBody();
			body.addServerOrReceiverFault("response refused by an interceptor", Locale.ENGLISH);
			return false;
		}

		@Override
		public boolean handleFault(MessageContext messageContext) {
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, @Nullable Exception ex) {
		}

	}

}
