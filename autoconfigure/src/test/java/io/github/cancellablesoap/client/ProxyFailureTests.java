package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.test.http.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.WebServiceIOException;
import org.springframework.ws.client.WebServiceTransportException;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Calls that fail: hostile or broken peers, faults, and a caller that gives up by being
 * interrupted. Each fails that call only, with a clear error, and leaves the proxy OPEN.
 */
class ProxyFailureTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	@Test
	void anInterruptedCallerAbortsItsCallAndKeepsItsInterruptFlag() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		CountDownLatch done = new CountDownLatch(1);
		Thread caller = new Thread(() -> {
			try {
				ProxyFixture.echo(proxy);
			}
			catch (Throwable ex) {
				thrown.set(ex);
				stillInterrupted.set(Thread.currentThread().isInterrupted());
			}
			done.countDown();
		});
		caller.start();
		this.fixture.awaitRequest(0);
		caller.interrupt();
		assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(thrown.get()).isInstanceOf(CallAbortedException.class)
			.hasMessageEndingWith("caller thread interrupted");
		assertThat(stillInterrupted).isTrue();
		assertThat(this.fixture.server().connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aResponseOverTheSizeLimitFailsTheCall() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE,
					ProxyFixture.envelope("<big xmlns=\"urn:test\">" + "x".repeat(4096) + "</big>")));
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxResponseBytes(1024));
		assertThatExceptionOfType(WebServiceIOException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessageContaining("exceeds the limit of 1024 bytes");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThat(proxy.pendingCalls()).isZero();
	}

	@Test
	void aMalformedResponseFailsTheCallOnly() {
		this.fixture.server().setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, "<not-soap"));
		DefaultServiceProxy proxy = this.fixture.open();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> ProxyFixture.echo(proxy));
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThat(proxy.calls()).isEmpty();
	}

	@Test
	void anHttpErrorWithoutASoapBodyIsATransportError() {
		this.fixture.server().setBehaviour(Behaviour.respond(502, "text/plain", "bad gateway"));
		DefaultServiceProxy proxy = this.fixture.open();
		assertThatExceptionOfType(WebServiceTransportException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessageContaining("Bad Gateway [502]");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aSoapFaultReachesTheCallerAsAFault() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(500, ProxyFixture.SOAP_CONTENT_TYPE,
					ProxyFixture.envelope("<soapenv:Fault><faultcode>soapenv:Client</faultcode>"
							+ "<faultstring>unknown symbol</faultstring></soapenv:Fault>")));
		DefaultServiceProxy proxy = this.fixture.open();
		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessage("unknown symbol");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aSoapFaultThatCameWithStatus200ReachesTheCallerAsAFault() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE,
					ProxyFixture.envelope("<soapenv:Fault><faultcode>soapenv:Server</faultcode>"
							+ "<faultstring>node-soap says no</faultstring></soapenv:Fault>")));
		DefaultServiceProxy proxy = this.fixture.open();
		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessage("node-soap says no");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aSoap12FaultThatCameWithStatus200ReachesTheCallerAsAFault() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, "application/soap+xml; charset=utf-8",
					"<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault>"
							+ "<env:Code><env:Value>env:Receiver</env:Value></env:Code>"
							+ "<env:Reason><env:Text xml:lang=\"en\">node-soap says no</env:Text></env:Reason>"
							+ "</env:Fault></env:Body></env:Envelope>"));
		SaajSoapMessageFactory soap12 = new SaajSoapMessageFactory();
		soap12.setSoapVersion(SoapVersion.SOAP_12);
		soap12.afterPropertiesSet();
		DefaultServiceProxy proxy = this.fixture.create(
				ProxySettings.builder("test", this.fixture.server().uri("/ws")).build(),
				new WebServiceTemplate(soap12));
		proxy.open();
		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
			.withMessage("node-soap says no");
		assertThat(this.fixture.awaitRequest(0).requestHeader("Content-Type")).startsWith("application/soap+xml");
	}

	@Test
	void aSuccessfulAnswerWithStatus200IsStillAnAnswer() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		DefaultServiceProxy proxy = this.fixture.open();
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
	}

	@Test
	void aRefusedConnectionFailsTheCallOnly() throws Exception {
		int port = this.fixture.server().port();
		this.fixture.server().close();
		DefaultServiceProxy proxy = this.fixture.open(java.net.URI.create("http://127.0.0.1:" + port + "/ws"),
				(settings) -> settings);
		CompletableFuture<String> call = proxy.submit(ProxyFixture::echo, Runnable::run).result();
		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(WebServiceIOException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

}
