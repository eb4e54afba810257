package io.github.cancellablesoap.autoconfigure.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.xml.transform.Source;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.client.CallFailedException;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.testsupport.TestCertificates.Authority;
import io.github.cancellablesoap.testsupport.TestCertificates.Issued;
import io.github.cancellablesoap.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proxies over HTTPS against a real TLS server: Boot's embedded Tomcat with an SSL
 * bundle, serving a host, with certificates this test makes. One server wants no client
 * certificate, the other requires one (mutual TLS).
 */
class HttpsProxyIntegrationTests {

	private static final String NAMESPACE = "urn:tls";

	@TempDir
	static Path certificates;

	private static Authority authority;

	private static Issued clientKey;

	private static Authority unknownAuthority;

	private static ConfigurableApplicationContext server;

	private static ConfigurableApplicationContext mutualServer;

	@AutoClose("shutdownNow")
	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@BeforeAll
	static void startServers() {
		TestCertificates certs = TestCertificates.in(certificates);
		authority = certs.authority("test-ca");
		unknownAuthority = certs.authority("unknown-ca");
		clientKey = authority.client("proxy-client");
		// Names localhost only: an address by IP is another name.
		Issued serverKey = authority.server("localhost", "localhost");
		server = start(serverKey, "none");
		mutualServer = start(serverKey, "need");
	}

	@AfterAll
	static void stopServers() {
		if (server != null) {
			server.close();
		}
		if (mutualServer != null) {
			mutualServer.close();
		}
	}

	private static ConfigurableApplicationContext start(Issued key, String clientAuth) {
		return new SpringApplicationBuilder(TlsServer.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"server.ssl.bundle=server", "server.ssl.client-auth=" + clientAuth,
					"spring.ssl.bundle.pem.server.keystore.certificate=" + key.certificate().toUri(),
					"spring.ssl.bundle.pem.server.keystore.private-key=" + key.privateKey().toUri(),
					"spring.ssl.bundle.pem.server.truststore.certificate=" + authority.certificate().toUri(),
					"spring.ssl.bundle.pem.server.options.enabled-protocols=TLSv1.3",
					"cancellable-soap.hosts.main.path=/soap")
			.run();
	}

	private static String address(ConfigurableApplicationContext application, String host) {
		return "https://" + host + ":" + ((WebServerApplicationContext) application).getWebServer().getPort() + "/soap";
	}

	private static ApplicationContextRunner client() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, CancellableSoapAutoConfiguration.class,
					ServiceProxyAutoConfiguration.class))
			.withPropertyValues(
					"spring.ssl.bundle.pem.trusting.truststore.certificate=" + authority.certificate().toUri(),
					"spring.ssl.bundle.pem.mutual.truststore.certificate=" + authority.certificate().toUri(),
					"spring.ssl.bundle.pem.mutual.keystore.certificate=" + clientKey.certificate().toUri(),
					"spring.ssl.bundle.pem.mutual.keystore.private-key=" + clientKey.privateKey().toUri(),
					"spring.ssl.bundle.pem.tls12.truststore.certificate=" + authority.certificate().toUri(),
					"spring.ssl.bundle.pem.tls12.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.tls13.truststore.certificate=" + authority.certificate().toUri(),
					"spring.ssl.bundle.pem.tls13.options.enabled-protocols=TLSv1.3",
					"spring.ssl.bundle.pem.tls13.options.ciphers=TLS_AES_256_GCM_SHA384",
					"spring.ssl.bundle.pem.stranger.truststore.certificate=" + unknownAuthority.certificate().toUri());
	}

	/**
	 * Run a client application with proxy {@code secure} on an address.
	 */
	private static void callThrough(String address, ProxyAssertions assertions, String... properties) {
		client().withPropertyValues("cancellable-soap.proxies.secure.address=" + address)
			.withPropertyValues(properties)
			.run((context) -> assertions
				.accept((DefaultServiceProxy) context.getBean(ServiceProxies.class).find("secure").orElseThrow()));
	}

	/**
	 * Assertions on the proxy of a client application.
	 */
	@FunctionalInterface
	private interface ProxyAssertions {

		void accept(DefaultServiceProxy proxy) throws Exception;

	}

	private static String hello(ServiceProxy proxy) {
		StringResult result = new StringResult();
		proxy.sendSourceAndReceiveToResult(new StringSource("<t:Hello xmlns:t=\"" + NAMESPACE + "\"/>"), result);
		return result.toString();
	}

	@Test
	void aProxyWithABundleThatTrustsTheServersAuthorityCallsOverHttps() {
		callThrough(address(server, "localhost"), (proxy) -> {
			assertThat(hello(proxy)).contains("HelloResponse").contains("over tls");
			assertThat(proxy.settings().tls()).isNotNull()
				.hasToString("ProxyTls[bundle=trusting, protocols=null, ciphers=null]");
		}, "cancellable-soap.proxies.secure.ssl-bundle=trusting");
	}

	@Test
	void aProxyWithTheClientKeyCallsAServerThatRequiresOne() {
		callThrough(address(mutualServer, "localhost"), (proxy) -> {
			assertThat(hello(proxy)).contains("over tls");
			assertThat(hello(proxy)).as("a second call on the pooled connection").contains("over tls");
		}, "cancellable-soap.proxies.secure.ssl-bundle=mutual");
	}

	@Test
	void aProxyWithoutAClientKeyFailsClearlyAgainstAServerThatRequiresOne() {
		callThrough(address(mutualServer, "localhost"), (proxy) -> {
			assertThatExceptionOfType(CallFailedException.class).isThrownBy(() -> hello(proxy))
				.withMessageContaining("on proxy 'secure' failed: The TLS handshake with localhost:")
				.withMessageContaining("the service refused the proxy's client certificate or got none")
				.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(CallOutcome.FAILED));
			assertThat(proxy.pendingCalls()).isZero();
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		}, "cancellable-soap.proxies.secure.ssl-bundle=trusting");
	}

	@Test
	void aProxyThatDoesNotTrustTheServersAuthorityFailsClearly() {
		callThrough(address(server, "localhost"), (proxy) -> {
			assertThatExceptionOfType(CallFailedException.class).isThrownBy(() -> hello(proxy))
				.withMessageContaining("The TLS handshake with localhost:")
				.withMessageContaining("the service's certificate is not trusted");
		}, "cancellable-soap.proxies.secure.ssl-bundle=stranger");
	}

	@Test
	void theBundlesProtocolsAndCiphersAreTheOnesOffered() {
		callThrough(address(server, "localhost"), (proxy) -> {
			assertThat(proxy.settings().tls())
				.hasToString("ProxyTls[bundle=tls13, protocols=[TLSv1.3], ciphers=[TLS_AES_256_GCM_SHA384]]");
			assertThat(hello(proxy)).contains("over tls");
		}, "cancellable-soap.proxies.secure.ssl-bundle=tls13");
		// The server speaks TLSv1.3 only.
		callThrough(address(server, "localhost"),
				(proxy) -> assertThatExceptionOfType(CallFailedException.class).isThrownBy(() -> hello(proxy))
					.withMessageContaining("The TLS handshake with localhost:"),
				"cancellable-soap.proxies.secure.ssl-bundle=tls12");
	}

	@Test
	void aCertificateForAnotherNameFailsHostNameVerification() {
		callThrough(address(server, "127.0.0.1"), (proxy) -> {
			assertThatExceptionOfType(CallFailedException.class).isThrownBy(() -> hello(proxy))
				.withMessageContaining("The TLS handshake with 127.0.0.1:")
				.withMessageContaining("does not name the host of the address");
		}, "cancellable-soap.proxies.secure.ssl-bundle=trusting");
	}

	@Test
	void bootsSharedHttpClientBundleAppliesToAProxyWithoutItsOwn() {
		callThrough(address(mutualServer, "localhost"), (proxy) -> {
			assertThat(proxy.settings().tls().bundle()).isEqualTo("mutual");
			assertThat(proxy.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(hello(proxy)).contains("over tls");
		}, "spring.http.clients.ssl.bundle=mutual", "spring.http.clients.connect-timeout=3s");
	}

	@Test
	void aProxysOwnSettingsWinOverBootsSharedOnes() {
		callThrough(address(server, "localhost"), (proxy) -> {
			assertThat(proxy.settings().tls().bundle()).isEqualTo("trusting");
			assertThat(proxy.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(7));
			assertThat(hello(proxy)).contains("over tls");
		}, "cancellable-soap.proxies.secure.ssl-bundle=trusting", "cancellable-soap.proxies.secure.connect-timeout=7s",
				"spring.http.clients.ssl.bundle=stranger", "spring.http.clients.connect-timeout=3s");
	}

	@Test
	void bootsSharedBundleDoesNotApplyToAPlainHttpProxy() {
		client()
			.withPropertyValues("cancellable-soap.proxies.plain.address=http://127.0.0.1:1/soap",
					"spring.http.clients.ssl.bundle=trusting")
			.run((context) -> {
				DefaultServiceProxy proxy = (DefaultServiceProxy) context.getBean(ServiceProxies.class)
					.find("plain")
					.orElseThrow();
				assertThat(proxy.settings().tls()).isNull();
			});
	}

	@Test
	void aBundleThatIsNotConfiguredFailsTheStartNamingTheProxyAndTheBundle() {
		client()
			.withPropertyValues("cancellable-soap.proxies.billing.address=https://localhost:1/soap",
					"cancellable-soap.proxies.billing.ssl-bundle=missing")
			.run(failsOn("cancellable-soap.proxies.billing.ssl-bundle",
					"Proxy 'billing' names SSL bundle 'missing', which is not configured"));
	}

	@Test
	void bootsSharedBundleThatIsNotConfiguredFailsTheStartNamingIt() {
		client()
			.withPropertyValues("cancellable-soap.proxies.billing.address=https://localhost:1/soap",
					"spring.http.clients.ssl.bundle=missing")
			.run(failsOn("spring.http.clients.ssl.bundle",
					"Proxy 'billing' names SSL bundle 'missing', which is not configured"));
	}

	@Test
	void aProxysOwnBundleOnAPlainHttpAddressFailsTheStart() {
		client()
			.withPropertyValues("cancellable-soap.proxies.billing.address=http://localhost:1/soap",
					"cancellable-soap.proxies.billing.ssl-bundle=trusting")
			.run(failsOn("cancellable-soap.proxies.billing.ssl-bundle",
					"An SSL bundle applies to https addresses only"));
	}

	@Test
	void anAbortedCallsExplicitCancelReachesAMutualTlsHostThroughTheProxysBundle() {
		callThrough(address(mutualServer, "localhost"), (proxy) -> {
			assertThat(hello(proxy)).as("the proxy learns that the host understands cancels").contains("over tls");
			String id = "hold-" + System.nanoTime();
			PendingCall<String> call = proxy.submit((operations) -> {
				StringResult result = new StringResult();
				operations.sendSourceAndReceiveToResult(
						new StringSource("<t:Hold xmlns:t=\"" + NAMESPACE + "\">" + id + "</t:Hold>"), result);
				return result.toString();
			}, CALLERS);
			assertThat(HoldEndpoint.running(id).await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(proxy.abortCall(call.callId(), "give up")).isTrue();
			// the host's caller-gone detection is off: only the explicit cancel, sent
			// over
			// mutual TLS with the bundle's key, can end the operation
			assertThat(HoldEndpoint.cancelled(id).await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(HoldEndpoint.REASONS.get(id)).isEqualTo(CancelReason.CALLER_CANCELLED);
		}, "cancellable-soap.proxies.secure.ssl-bundle=mutual");
	}

	/**
	 * The TLS server: one host with its endpoints, and no caller-gone detection (as
	 * behind a reverse proxy that hides the caller's closed socket).
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ HelloEndpoint.class, HoldEndpoint.class })
	static class TlsServer {

		@Bean
		CallerGoneDetector callerGoneDetector() {
			return CallerGoneDetector.NONE;
		}

	}

	/**
	 * Holds its operation until it is cancelled (at most 30 s), noting why.
	 */
	@Endpoint
	static class HoldEndpoint {

		static final Map<String, CancelReason> REASONS = new ConcurrentHashMap<>();

		private static final Map<String, CountDownLatch> RUNNING = new ConcurrentHashMap<>();

		private static final Map<String, CountDownLatch> CANCELLED = new ConcurrentHashMap<>();

		static CountDownLatch running(String id) {
			return RUNNING.computeIfAbsent(id, (key) -> new CountDownLatch(1));
		}

		static CountDownLatch cancelled(String id) {
			return CANCELLED.computeIfAbsent(id, (key) -> new CountDownLatch(1));
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "Hold")
		@ResponsePayload
		Source hold(@RequestPayload Element request, OperationContext operation) throws InterruptedException {
			String id = request.getTextContent();
			operation.onCancel((reason) -> {
				REASONS.put(id, reason);
				cancelled(id).countDown();
			});
			running(id).countDown();
			cancelled(id).await(30, TimeUnit.SECONDS);
			return new StringSource("<t:HoldResponse xmlns:t=\"" + NAMESPACE + "\"/>");
		}

	}

	/**
	 * Answers {@code Hello}.
	 */
	@Endpoint
	static class HelloEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Hello")
		@ResponsePayload
		Source hello() {
			return new StringSource("<t:HelloResponse xmlns:t=\"" + NAMESPACE + "\">over tls</t:HelloResponse>");
		}

	}

}
