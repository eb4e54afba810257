package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.core.XmlStructureException;
import io.github.cancellablesoap.core.XmlStructureGuard;
import io.github.cancellablesoap.testsupport.FreePorts;
import io.github.cancellablesoap.testsupport.Racers;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import io.github.cancellablesoap.testsupport.TestKeyStores;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.WSConstants;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.WebServiceTransportException;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.EndpointInterceptor;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.ws.soap.server.endpoint.interceptor.DelegatingSmartSoapEndpointInterceptor;
import org.springframework.ws.soap.server.endpoint.interceptor.PayloadRootSmartSoapEndpointInterceptor;
import org.springframework.ws.soap.security.wss4j2.Wss4jSecurityInterceptor;
import org.springframework.ws.soap.security.wss4j2.callback.SimplePasswordValidationCallbackHandler;
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
 */
@SpringBootTest(classes = WsSecurityIntegrationTests.SecuredApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.c.path=/hosts/c", "cancellable-soap.hosts.d.path=/hosts/d",
				"spring.webservices.path=/services",
				"cancellable-soap.proxies.direct.address=http://127.0.0.1:${server.port}/services",
				"cancellable-soap.hosts.c.max-concurrent-operations=" + WsSecurityIntegrationTests.HOST_SLOTS,
				"cancellable-soap.proxies.digest.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.digest.call-timeout=30s",
				"cancellable-soap.proxies.unacquainted.address=http://127.0.0.1:${server.port}/hosts/c",
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
			.satisfies((fault) -> assertThat(fault.getMessage()).doesNotContain(Keys.PASSWORD)
				.doesNotContain(Keys.WRONG_PASSWORD));
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

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ CancelEndpoints.class, OpenEndpoint.class })
	static class SecuredApplication {

		@Bean
		RecordingOperationListener recordingOperationListener() {
			return new RecordingOperationListener();
		}

		/**
		 * Sees the hosted Brief requests that passed validation, as Spring WS adds a
		 * smart interceptor bean to every endpoint mapping.
		 */
		@Bean
		PayloadRootSmartSoapEndpointInterceptor briefsSeen() {
			return new PayloadRootSmartSoapEndpointInterceptor(new Seeing(), NS, "Brief");
		}

		/**
		 * A plain interceptor bean: Spring WS adds none of these to its mappings (only
		 * smart ones, and those of {@code WsConfigurer#addInterceptors}), for hosts as
		 * for its own servlet.
		 */
		@Bean
		Seeing plainInterceptorBean() {
			return new Seeing();
		}

		/**
		 * Sees the requests of hosted endpoints only: an operation's context is current
		 * when a host's dispatcher asks a smart interceptor, and never in Spring WS's own
		 * servlet.
		 */
		@Bean
		DelegatingSmartSoapEndpointInterceptor hostedSeen() {
			return new DelegatingSmartSoapEndpointInterceptor(new Seeing()) {

				@Override
				public boolean shouldIntercept(MessageContext messageContext, Object endpoint) {
					return OperationContext.findCurrent().isPresent();
				}

			};
		}

		@Bean
		SigningGate signingGate() {
			return new SigningGate();
		}

		/** Secures each proxy's requests as its name says; "plain" sends none. */
		@Bean
		ServiceProxyCustomizer wsSecurity(SigningGate gate) {
			return (name, template) -> {
				List<ClientInterceptor> interceptors = new ArrayList<>();
				if (template.getInterceptors() != null) {
					interceptors.addAll(List.of(template.getInterceptors()));
				}
				switch (name) {
					case "digest", "direct", "unacquainted" ->
						interceptors.add(Keys.securing(WSConstants.PW_DIGEST, Keys.CLIENT, Keys.PASSWORD));
					case "text" -> interceptors.add(Keys.securing(WSConstants.PW_TEXT, Keys.CLIENT, Keys.PASSWORD));
					case "wrongPassword" -> interceptors
						.add(Keys.securing(WSConstants.PW_DIGEST, Keys.CLIENT_WRONG_PASSWORD, Keys.WRONG_PASSWORD));
					case "untrusted" ->
						interceptors.add(Keys.securing(WSConstants.PW_DIGEST, Keys.INTRUDER, Keys.PASSWORD));
					case "slowSigning" -> {
						interceptors.add(Keys.securing(WSConstants.PW_DIGEST, Keys.CLIENT, Keys.PASSWORD));
						interceptors.add(gate);
					}
					case "plain" -> {
					}
					default -> throw new IllegalArgumentException("No security for proxy " + name);
				}
				template.setInterceptors(interceptors.toArray(ClientInterceptor[]::new));
			};
		}

		/** Validates every request of the application's endpoint mappings. */
		@Bean
		WsConfigurer wsSecurityValidation() {
			return new WsConfigurer() {

				@Override
				public void addInterceptors(List<EndpointInterceptor> interceptors) {
					interceptors.add(Keys.validating());
				}

			};
		}

	}

	/**
	 * The test's keys and the interceptors that use them: key pairs "client" (trusted by
	 * the host; also copied under a wrong password) and "intruder" (not trusted), made
	 * once per JVM.
	 */
	static final class Keys {

		static final String USER = "alice";

		static final String PASSWORD = "wonderland-secret";

		static final String WRONG_PASSWORD = "guessed-secret";

		private static final String TRUST_PASSWORD = "trust-secret";

		private static final Path DIR = TestKeyStores.temporaryDirectory("ws-security");

		static final Path CLIENT = TestKeyStores.keyPair(DIR, "client", PASSWORD);

		static final Path CLIENT_WRONG_PASSWORD = TestKeyStores.copy(CLIENT, PASSWORD, DIR.resolve("client-wrong.p12"),
				WRONG_PASSWORD);

		static final Path INTRUDER = TestKeyStores.keyPair(DIR, "intruder", PASSWORD);

		private static final Path TRUST = TestKeyStores.trust(DIR.resolve("trust.p12"), TRUST_PASSWORD, CLIENT,
				PASSWORD, "client");

		private Keys() {
		}

		/**
		 * A proxy's interceptor: a timestamp, a UsernameToken for {@link #USER} and a
		 * signature of the body by the store's only key, whose password is also the
		 * token's.
		 */
		static Wss4jSecurityInterceptor securing(String passwordType, Path keyStore, String password) {
			KeyStore keys = TestKeyStores.load(keyStore, password);
			Wss4jSecurityInterceptor interceptor = new Wss4jSecurityInterceptor();
			interceptor.setSecurementActions("Timestamp Signature UsernameToken");
			interceptor.setSecurementUsername(USER);
			interceptor.setSecurementPassword(password);
			interceptor.setSecurementPasswordType(passwordType);
			interceptor.setSecurementSignatureUser(onlyAlias(keys));
			interceptor.setSecurementSignatureKeyIdentifier("DirectReference");
			interceptor.setSecurementSignatureCrypto(crypto(keys));
			return initialized(interceptor);
		}

		/**
		 * The host's interceptor: a timestamp, a signature by a certificate of the trust
		 * store, and {@link #USER}'s token.
		 */
		static Wss4jSecurityInterceptor validating() {
			SimplePasswordValidationCallbackHandler users = new SimplePasswordValidationCallbackHandler();
			users.setUsersMap(Map.of(USER, PASSWORD));
			Wss4jSecurityInterceptor interceptor = new Wss4jSecurityInterceptor();
			interceptor.setValidationActions("Timestamp Signature UsernameToken");
			interceptor.setValidationCallbackHandler(users);
			interceptor.setValidationSignatureCrypto(crypto(TestKeyStores.load(TRUST, TRUST_PASSWORD)));
			interceptor.setValidationSubjectDnConstraints(List.of(Pattern.compile("CN=client")));
			return initialized(interceptor);
		}

		private static Merlin crypto(KeyStore store) {
			Merlin crypto = new Merlin();
			crypto.setKeyStore(store);
			crypto.setTrustStore(store);
			return crypto;
		}

		private static String onlyAlias(KeyStore keys) {
			try {
				return keys.aliases().nextElement();
			}
			catch (java.security.KeyStoreException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static Wss4jSecurityInterceptor initialized(Wss4jSecurityInterceptor interceptor) {
			try {
				interceptor.afterPropertiesSet();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot set up WS-Security", ex);
			}
			return interceptor;
		}

	}

	/**
	 * A client interceptor after the signing one that, while closed, holds each request
	 * (bounded) before it is sent, as a slow signature would. Thread-safe.
	 */
	static final class SigningGate implements ClientInterceptor {

		private volatile CountDownLatch held = new CountDownLatch(1);

		private volatile CountDownLatch open = new CountDownLatch(0);

		private volatile byte[] lastRequest = new byte[0];

		void close() {
			this.held = new CountDownLatch(1);
			this.open = new CountDownLatch(1);
		}

		void pass() {
			this.open.countDown();
		}

		byte[] lastRequest() {
			return this.lastRequest;
		}

		void awaitHeld() throws InterruptedException {
			assertThat(this.held.await(10, TimeUnit.SECONDS)).as("a request is held").isTrue();
		}

		@Override
		public boolean handleRequest(MessageContext messageContext) {
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			try {
				messageContext.getRequest().writeTo(request);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.lastRequest = request.toByteArray();
			this.held.countDown();
			try {
				this.open.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext) {
			return true;
		}

		@Override
		public boolean handleFault(MessageContext messageContext) {
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, Exception ex) {
		}

	}

	/**
	 * An endpoint interceptor that records the caller's call id of each request it sees,
	 * read from the operation's context, which is current while interceptors run.
	 * Thread-safe.
	 */
	static final class Seeing implements EndpointInterceptor {

		final Queue<String> callerCallIds = new ConcurrentLinkedQueue<>();

		@Override
		public boolean handleRequest(MessageContext messageContext, Object endpoint) {
			this.callerCallIds.add(OperationContext.current().callerCallId().orElse("none"));
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext, Object endpoint) {
			return true;
		}

		@Override
		public boolean handleFault(MessageContext messageContext, Object endpoint) {
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, Object endpoint, @Nullable Exception ex) {
		}

	}

	/**
	 * An endpoint bound to no host: with two hosts configured, Spring Boot's own
	 * {@code MessageDispatcherServlet} serves it. Echoes its request.
	 */
	@Endpoint
	static class OpenEndpoint {

		static final String NAMESPACE = "urn:open";

		static final AtomicInteger served = new AtomicInteger();

		@PayloadRoot(namespace = NAMESPACE, localPart = "Open")
		@ResponsePayload
		Element open(@RequestPayload Element request) {
			served.incrementAndGet();
			return request;
		}

	}

}
