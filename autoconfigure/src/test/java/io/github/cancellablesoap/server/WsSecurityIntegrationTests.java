package io.github.cancellablesoap.server;

import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.core.XmlStructureException;
import io.github.cancellablesoap.core.XmlStructureGuard;
import io.github.cancellablesoap.server.WsSecurityTestApplication.OpenEndpoint;
import io.github.cancellablesoap.server.WsSecurityTestApplication.Seeing;
import io.github.cancellablesoap.server.WsSecurityTestApplication.SigningGate;
import io.github.cancellablesoap.testsupport.FreePorts;
import io.github.cancellablesoap.testsupport.Racers;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import io.github.cancellablesoap.testsupport.WsSecurityKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.WebServiceTransportException;
import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.ws.soap.server.endpoint.interceptor.DelegatingSmartSoapEndpointInterceptor;
import org.springframework.ws.soap.server.endpoint.interceptor.PayloadRootSmartSoapEndpointInterceptor;
import org.springframework.ws.soap.security.wss4j2.Wss4jSecurityInterceptor;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * WS-Security between a proxy and a host of this project, both over Spring WS's
 * {@link Wss4jSecurityInterceptor}, wired the documented way: a
 * {@link ServiceProxyCustomizer} adds the securing interceptor to a proxy's template, a
 * {@link WsConfigurer} adds the validating one to the application's endpoint mappings.
 * The host validates a timestamp, an X.509 signature (the signer's certificate must be in
 * its trust store) and a UsernameToken (digest or text); the keys are made by the test.
 * An invalid request gets a SOAP fault without reaching the endpoint, and its operation
 * ends once, as FAULT, freeing its slot; abandon and abort work as without WS-Security,
 * also while an interceptor still holds the request.
 * <p>
 * Close to 400 lines because every case shares one application context (about ten seconds
 * to start); the application and its helpers are in {@link WsSecurityTestApplication}.
 * Tests run on the test thread and the callers' executor.
 */
@SpringBootTest(classes = WsSecurityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.c.path=/hosts/c", "cancellable-soap.hosts.d.path=/hosts/d",
				"spring.webservices.path=/services",
				"cancellable-soap.proxies.direct.address=http://127.0.0.1:${server.port}/services",
				"cancellable-soap.hosts.c.max-concurrent-operations=" + WsSecurityIntegrationTests.HOST_SLOTS,
				"cancellable-soap.proxies.digest.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.digest.call-timeout=30s",
				"cancellable-soap.proxies.unacquainted.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.mutual.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.distrustful.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.unacquainted.call-timeout=30s",
				"cancellable-soap.proxies.text.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.wrongPassword.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.untrusted.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.plain.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.slowSigning.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.slowSigning.call-timeout=30s" })
class WsSecurityIntegrationTests extends AbstractHostCancelIntegrationTests {

	static final int HOST_SLOTS = 4;

	/** The lowest {@code max-xml-depth} the README calls safe with WS-Security. */
	private static final int SAFE_DEPTH = 32;

	private static final int PORT = FreePorts.loopback();

	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	ServiceProxies proxies;

	@Autowired
	RecordingOperationListener operations;

	@Autowired
	SigningGate gate;

	@Autowired
	PayloadRootSmartSoapEndpointInterceptor briefsSeen;

	@Autowired
	Seeing plainInterceptorBean;

	@Autowired
	DelegatingSmartSoapEndpointInterceptor hostedSeen;

	@LocalServerPort
	int port;

	@AfterAll
	static void stopCallers() {
		CALLERS.shutdownNow();
	}

	@BeforeEach
	void ready() {
		this.gate.pass();
		for (ServiceProxy proxy : this.proxies.all()) {
			if (proxy.state() == ProxyState.FAULTED || proxy.state() == ProxyState.CLOSED) {
				proxy.reset();
			}
			if (proxy.state() == ProxyState.CREATED) {
				proxy.open();
			}
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> this.c.operations().isEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "digest", "text" })
	void aSignedRequestWithAValidTokenReachesTheEndpoint(String proxyName) throws Exception {
		PendingCall<String> call = proxy(proxyName).submit((operations) -> call(operations, "Brief"), CALLERS);
		assertThat(call.result().get(20, TimeUnit.SECONDS)).contains("Brief").contains(NS);
		assertThat(this.recorder.all).containsKey(call.callId());
		assertThat(ended(call.callId()).outcome()).isEqualTo(OperationOutcome.COMPLETED);
		assertThat(((Seeing) this.briefsSeen.getDelegate()).callerCallIds).contains(call.callId());
		assertThat(((Seeing) this.hostedSeen.getDelegate()).callerCallIds).contains(call.callId());
		assertThat(this.plainInterceptorBean.callerCallIds).isEmpty();
	}

	/**
	 * The host signs Brief's responses (a smart interceptor bean); a proxy that trusts
	 * the host's certificate validates them after the response won the call, one that
	 * does not fails the call, although the host completed the operation.
	 */
	@Test
	void aSignedResponseIsValidatedByTheProxy() throws Exception {
		PendingCall<String> trusted = proxy("mutual").submit((operations) -> call(operations, "Brief"), CALLERS);
		assertThat(trusted.result().get(20, TimeUnit.SECONDS)).contains("Brief").doesNotContain("wsse:Security");
		assertThat(ended(trusted.callId()).outcome()).isEqualTo(OperationOutcome.COMPLETED);

		PendingCall<String> distrusted = proxy("distrustful").submit((operations) -> call(operations, "Brief"),
				CALLERS);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> distrusted.result().get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(SoapFaultClientException.class)
			.withMessageContaining("certificate path validation");
		assertThat(ended(distrusted.callId()).outcome()).isEqualTo(OperationOutcome.COMPLETED);
		await().atMost(PROMPTLY).until(() -> proxy("distrustful").pendingCalls() == 0);
	}

	/**
	 * Interceptors added through {@code WsConfigurer} go on the application's endpoint
	 * mappings, which hosts and Spring Boot's own servlet share: they guard unhosted
	 * endpoints too. A smart interceptor that asks for an operation's context sees hosted
	 * requests only.
	 */
	@Test
	void theValidationAlsoGuardsEndpointsOfSpringBootsServlet() throws Exception {
		HttpResponse<String> unsigned = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/services"))
				.header("Content-Type", "text/xml; charset=utf-8")
				.header("SOAPAction", "\"\"")
				.POST(HttpRequest.BodyPublishers.ofString(HostTestSupport
					.envelope("<o:Open xmlns:o=\"" + OpenEndpoint.NAMESPACE + "\">unsigned</o:Open>")))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unsigned.statusCode()).isEqualTo(500);
		assertThat(unsigned.body()).contains("No WS-Security header found");
		assertThat(OpenEndpoint.served).hasValue(0);

		int seenBefore = ((Seeing) this.hostedSeen.getDelegate()).callerCallIds.size();
		StringResult result = new StringResult();
		proxy("direct").sendSourceAndReceiveToResult(
				new StringSource("<o:Open xmlns:o=\"" + OpenEndpoint.NAMESPACE + "\">signed</o:Open>"), result);
		assertThat(result.toString()).contains("signed");
		assertThat(OpenEndpoint.served).hasValue(1);
		assertThat(((Seeing) this.hostedSeen.getDelegate()).callerCallIds).hasSize(seenBefore);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "wrongPassword | could not be authenticated",
			"untrusted | certificate path validation", "plain | No WS-Security header" })
	void anInvalidRequestGetsAFaultWithoutReachingTheEndpoint(String proxyName, String why) throws Exception {
		PendingCall<String> call = proxy(proxyName).submit((operations) -> call(operations, "Brief"), CALLERS);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(SoapFaultClientException.class)
			.withMessageContaining(why)
			.satisfies((fault) -> assertThat(fault.getMessage()).doesNotContain(WsSecurityKeys.PASSWORD)
				.doesNotContain(WsSecurityKeys.WRONG_PASSWORD));
		OperationListener.EndedOperation ended = ended(call.callId());
		assertThat(ended.outcome()).isEqualTo(OperationOutcome.FAULT);
		assertThat(ended.operation()).contains("Brief");
		assertThat(this.operations.endedById.get(ended.operationId())).hasValue(1);
		assertThat(this.recorder.all).doesNotContainKey(call.callId());
		assertThat(((Seeing) this.briefsSeen.getDelegate()).callerCallIds).doesNotContain(call.callId());
		await().atMost(PROMPTLY).until(() -> this.c.operations().isEmpty());
	}

	/**
	 * A signed request passes the host's request guards with room to spare: its header
	 * nests deeper than a plain envelope but at most half of the lowest
	 * {@code max-xml-depth} the README calls safe with WS-Security, and adds a few
	 * kilobytes.
	 */
	@Test
	void aSignedRequestFitsTheRequestGuards() throws Exception {
		call(proxy("slowSigning"), "Brief");
		byte[] signed = this.gate.lastRequest();
		assertThat(new String(signed, StandardCharsets.UTF_8)).contains("wsse:Security")
			.contains("ds:Signature")
			.contains("wsse:UsernameToken");
		// measured: depth 8 (the envelope is 1), about 4 KB for an empty payload
		assertThat(deepest(signed)).isBetween(6, SAFE_DEPTH / 2);
		assertThat(signed.length).isLessThan(16 * 1024);
	}

	/**
	 * Many refused requests at once leave every slot free: afterwards, as many operations
	 * as the host has slots run at the same time.
	 */
	@Test
	void refusedRequestsLeaveNoSlotTaken() throws Exception {
		int racers = 8;
		int rounds = 5;
		List<String> refused = List.of("wrongPassword", "untrusted", "plain");
		long faultsBefore = faultsEnded();
		AtomicInteger faults = new AtomicInteger();
		AtomicInteger busy = new AtomicInteger();
		Racers.race(CALLERS, racers, Duration.ofSeconds(60), (racer) -> {
			for (int round = 0; round < rounds; round++) {
				ServiceProxy proxy = proxy(refused.get((racer + round) % refused.size()));
				try {
					call(proxy, "Brief");
					throw new AssertionError("An invalid request was answered");
				}
				catch (SoapFaultClientException ex) {
					faults.incrementAndGet();
				}
				catch (WebServiceTransportException ex) {
					// more racers than slots: the host may refuse one with 503
					assertThat(ex.getMessage()).contains("503");
					busy.incrementAndGet();
				}
			}
		});
		assertThat(faults.get() + busy.get()).isEqualTo(racers * rounds);
		assertThat(faults.get()).isPositive();
		await().atMost(PROMPTLY).until(() -> this.c.operations().isEmpty());
		await().atMost(PROMPTLY).until(this::faultsEnded, (count) -> count == faultsBefore + faults.get());
		List<PendingCall<String>> held = new ArrayList<>();
		for (int i = 0; i < HOST_SLOTS; i++) {
			held.add(proxy("digest").submit((operations) -> call(operations, "Hold"), CALLERS));
		}
		for (PendingCall<String> call : held) {
			this.recorder.awaitStarted(call.callId());
		}
		assertThat(this.c.operations()).hasSize(HOST_SLOTS);
		for (PendingCall<String> call : held) {
			Served served = this.recorder.all.get(call.callId());
			assertThat(proxy("digest").abortCall(call.callId(), "test over")).isTrue();
			served.awaitCompleted();
		}
		assertThat(this.operations.endedById.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(this.operations.endedWithForeignState).hasValue(0);
	}

	/**
	 * A proxy that never had an answer from the host sends no explicit cancel: the
	 * operation ends as CALLER_GONE only because the abort closed the socket.
	 */
	@Test
	void anAbortedSecuredCallClosesItsSocket() throws Exception {
		Served served = abortedHold(proxy("unacquainted"), CALLERS);
		served.awaitCompleted();
		assertThat(served.reason).isEqualTo(CancelReason.CALLER_GONE);
		assertThat(served.cancels.get()).as("cancel callback runs once").isEqualTo(1);
		assertThat(ended(served.callerCallId).outcome()).isEqualTo(OperationOutcome.CANCELLED);
	}

	/**
	 * A proxy that learned from an answer that the host understands cancels also sends
	 * one; whichever of it and the closed socket the host sees first ends the operation.
	 */
	@Test
	void anAbortedSecuredCallCancelsItsHeldOperationOnce() throws Exception {
		call(proxy("digest"), "Brief");
		Served served = abortedHold(proxy("digest"), CALLERS);
		served.awaitCompleted();
		assertThat(served.reason).isIn(CancelReason.CALLER_GONE, CancelReason.CALLER_CANCELLED);
		assertThat(served.cancels.get()).as("cancel callback runs once").isEqualTo(1);
		assertThat(ended(served.callerCallId).outcome()).isEqualTo(OperationOutcome.CANCELLED);
	}

	@Test
	void anAbandonedSecuredCallReleasesItsCallerAndLeavesTheOperationRunning() throws Exception {
		ServiceProxy proxy = proxy("digest");
		PendingCall<String> call = proxy.submit((operations) -> call(operations, "Hold"), CALLERS);
		Served served = this.recorder.awaitStarted(call.callId());
		assertThat(proxy.abandon(call.callId())).isTrue();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
		assertThat(served.cancels.get()).as("an abandon touches no I/O").isZero();
		OperationInfo operation = this.c.operations().get(0);
		assertThat(this.c.cancel(operation.id(), "test over")).isTrue();
		served.awaitCompleted();
		assertThat(served.reason).isEqualTo(CancelReason.OPERATOR);
		assertThat(served.cancels.get()).isEqualTo(1);
	}

	/**
	 * An abort that comes while an interceptor still holds the signed request is decided
	 * at once; the request is never sent and the caller is released when the interceptor
	 * returns.
	 */
	@Test
	void anAbortWhileAnInterceptorHoldsTheRequestSendsNothing() throws Exception {
		ServiceProxy proxy = proxy("slowSigning");
		this.gate.close();
		PendingCall<String> call = proxy.submit((operations) -> call(operations, "Brief"), CALLERS);
		this.gate.awaitHeld();
		assertThat(proxy.abortCall(call.callId(), "while signing")).isTrue();
		this.gate.pass();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		assertNeverSent(proxy, call.callId());
	}

	@Test
	void anAbandonWhileAnInterceptorHoldsTheRequestSendsNothing() throws Exception {
		ServiceProxy proxy = proxy("slowSigning");
		this.gate.close();
		PendingCall<String> call = proxy.submit((operations) -> call(operations, "Brief"), CALLERS);
		this.gate.awaitHeld();
		assertThat(proxy.abandon(call.callId())).isTrue();
		this.gate.pass();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
		assertNeverSent(proxy, call.callId());
	}

	/**
	 * A later call through the same proxy reaches the host, and the held one left no
	 * trace there: no operation, no slot on the proxy.
	 */
	private void assertNeverSent(ServiceProxy proxy, String callId) throws Exception {
		PendingCall<String> later = proxy.submit((operations) -> call(operations, "Brief"), CALLERS);
		assertThat(later.result().get(20, TimeUnit.SECONDS)).contains("Brief");
		ended(later.callId());
		assertThat(this.operations.started).noneMatch((started) -> callId.equals(started.callerCallId()));
		assertThat(this.recorder.all).doesNotContainKey(callId);
		await().atMost(PROMPTLY).until(() -> proxy.pendingCalls() == 0);
	}

	/** The deepest element nesting of a document: the lowest limit the guard accepts. */
	private static int deepest(byte[] document) {
		for (int limit = 1;; limit++) {
			try {
				new XmlStructureGuard(limit).feed(document, 0, document.length);
				return limit;
			}
			catch (XmlStructureException ex) {
				assertThat(ex.isLimitExceeded()).as("a well-formed document").isTrue();
			}
		}
	}

	private long faultsEnded() {
		return this.operations.outcomes().stream().filter(OperationOutcome.FAULT::equals).count();
	}

	private ServiceProxy proxy(String name) {
		return this.proxies.find(name).orElseThrow();
	}

	private OperationListener.EndedOperation ended(String callerCallId) {
		await().atMost(PROMPTLY)
			.until(() -> this.operations.ended.stream().anyMatch((ended) -> callerCallId.equals(ended.callerCallId())));
		return this.operations.ended.stream()
			.filter((ended) -> callerCallId.equals(ended.callerCallId()))
			.findFirst()
			.orElseThrow();
	}

}
