package io.github.cancellablesoap.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.test.http.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.WebServiceTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Credentials of the service: HTTP Basic sent preemptively on every request, a request
 * customizer for other schemes that runs per request and fails only its own call when it
 * throws, and passwords that no {@code toString()} or error shows.
 */
class ProxyCredentialsTests {

	private static final String ALICE = "Basic "
			+ Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void basicCredentialsGoPreemptivelyOnEveryRequest() {
		DefaultServiceProxy proxy = open(credentials(), List.of());

		ProxyFixture.echo(proxy);
		ProxyFixture.echo(proxy);

		assertThat(this.fixture.server().requestCount()).as("no 401 round trip").isEqualTo(2);
		List<RecordedRequest> requests = this.fixture.awaitRequest(0).requests();
		assertThat(requests).hasSize(2)
			.allSatisfy((request) -> assertThat(request.header("Authorization")).isEqualTo(ALICE));
	}

	@Test
	void aProxyWithoutCredentialsSendsNoAuthorization() {
		DefaultServiceProxy proxy = open(ConnectionSettings.DEFAULTS, List.of());
		ProxyFixture.echo(proxy);
		assertThat(this.fixture.awaitRequest(0).lastRequest().header("Authorization")).isNull();
	}

	@Test
	void aRequestCustomizerRunsForEachRequestOnTheCallersThread() {
		AtomicInteger tokens = new AtomicInteger();
		List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		DefaultServiceProxy proxy = open(ConnectionSettings.DEFAULTS, List.of((name, uri, headers) -> {
			threads.add(Thread.currentThread().getName());
			headers.accept("Authorization", "Bearer token-" + tokens.incrementAndGet() + "-" + name);
			headers.accept(WireProtocol.CALL_ID_HEADER, "forged");
		}));

		ProxyFixture.echo(proxy);
		ProxyFixture.echo(proxy);

		List<RecordedRequest> requests = this.fixture.awaitRequest(0).requests();
		assertThat(requests).extracting((request) -> request.header("Authorization"))
			.containsExactly("Bearer token-1-test", "Bearer token-2-test");
		assertThat(requests)
			.allSatisfy((request) -> assertThat(request.header(WireProtocol.CALL_ID_HEADER)).isNotEqualTo("forged"));
		assertThat(threads).containsOnly(Thread.currentThread().getName());
	}

	@Test
	void configuredCredentialsWinOverACustomizersAuthorization() {
		DefaultServiceProxy proxy = open(credentials(),
				List.of((name, uri, headers) -> headers.accept("Authorization", "Bearer other")));
		ProxyFixture.echo(proxy);
		assertThat(this.fixture.awaitRequest(0).lastRequest().header("Authorization")).isEqualTo(ALICE);
	}

	@Test
	void aThrowingCustomizerFailsItsCallOnlyWithAClearErrorAndNothingIsSent() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		DefaultServiceProxy proxy = open(ConnectionSettings.DEFAULTS, List.of((name, uri, headers) -> {
			if (runs.incrementAndGet() == 1) {
				throw new IllegalStateException("token service down");
			}
			headers.accept("Authorization", "Bearer fresh");
		}));

		PendingCall<String> failing = this.fixture.submit(proxy);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.result().get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(org.springframework.ws.client.WebServiceIOException.class)
			.satisfies((ex) -> assertThat(ForwardProxyIntegrationTests.stackTrace(ex))
				.contains("ServiceProxyRequestCustomizer")
				.contains("IllegalStateException")
				.contains("the request was not sent")
				.contains("token service down"));
		assertThat(this.fixture.server().requestCount()).isZero();
		ProxyFixture.awaitNothingInFlight(proxy);

		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(this.fixture.awaitRequest(0).lastRequest().header("Authorization")).isEqualTo("Bearer fresh");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aHeaderWithALineBreakFailsTheCallInsteadOfSplittingTheRequest() throws Exception {
		DefaultServiceProxy proxy = open(ConnectionSettings.DEFAULTS,
				List.of((name, uri, headers) -> headers.accept("X-Token", "a\r\nX-Injected: yes")));
		PendingCall<String> call = this.fixture.submit(proxy);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.satisfies((ex) -> assertThat(ForwardProxyIntegrationTests.stackTrace(ex)).contains("line breaks"));
		assertThat(this.fixture.server().requestCount()).isZero();
	}

	@Test
	void manyCallersRunTheCustomizerConcurrentlyEachWithItsOwnHeader() throws Exception {
		AtomicInteger tokens = new AtomicInteger();
		DefaultServiceProxy proxy = open(ConnectionSettings.DEFAULTS,
				List.of((name, uri, headers) -> headers.accept("X-Token", Integer.toString(tokens.incrementAndGet()))));
		ProxyFixture.awaitAll(this.fixture.repeatOnThreads(8, 10, () -> ProxyFixture.echo(proxy)));
		List<String> sent = this.fixture.server()
			.connections()
			.stream()
			.flatMap((connection) -> connection.requests().stream())
			.map((request) -> request.header("X-Token"))
			.toList();
		assertThat(sent).hasSize(80).doesNotHaveDuplicates();
	}

	@Test
	void passwordsAppearInNoToStringNorError() {
		BasicCredentials alice = new BasicCredentials("alice", "s3cret");
		ForwardProxy forward = new ForwardProxy("proxy.example.com", 3128, new BasicCredentials("bob", "pr0xy"),
				List.of("*.internal"));
		ProxySettings settings = ProxySettings.builder("quotes", this.fixture.server().uri("/ws"))
			.connection(new ConnectionSettings(forward, alice, false, PoolSettings.DEFAULTS))
			.build();
		assertThat(alice.toString()).contains("alice").doesNotContain("s3cret");
		assertThat(forward.toString()).contains("proxy.example.com:3128").contains("bob").doesNotContain("pr0xy");
		assertThat(settings.toString()).contains("alice").doesNotContain("s3cret").doesNotContain("pr0xy");
		assertThatIllegalArgumentException().isThrownBy(() -> new BasicCredentials("al:ice", "s3cret"))
			.withMessageNotContaining("s3cret");
	}

	@Test
	void nonProxyHostsPatternsMatchLikeTheJdksWithoutCase() {
		ForwardProxy forward = new ForwardProxy("proxy", 3128, null,
				List.of("localhost", "*.internal.example.com", "10.*", "db*.example.org", "::1"));
		assertThat(forward.bypasses("localhost")).isTrue();
		assertThat(forward.bypasses("LocalHost")).isTrue();
		assertThat(forward.bypasses("a.b.internal.example.com")).isTrue();
		assertThat(forward.bypasses("internal.example.com")).isFalse();
		assertThat(forward.bypasses("10.1.2.3")).isTrue();
		assertThat(forward.bypasses("110.1.2.3")).isFalse();
		assertThat(forward.bypasses("db7.example.org")).isTrue();
		assertThat(forward.bypasses("[::1]")).isTrue();
		assertThat(forward.bypasses("example.com")).isFalse();
		assertThat(new ForwardProxy("proxy", 3128, null, List.of()).bypasses("localhost")).isFalse();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ForwardProxy("proxy", 3128, null, List.of("a.example.com|b.example.com")))
			.withMessageContaining("one host name");
	}

	private ConnectionSettings credentials() {
		return new ConnectionSettings(null, new BasicCredentials("alice", "s3cret"), false, PoolSettings.DEFAULTS);
	}

	private DefaultServiceProxy open(ConnectionSettings connection, List<ServiceProxyRequestCustomizer> customizers) {
		DefaultServiceProxy proxy = this.fixture.create(
				ProxySettings.builder("test", this.fixture.server().uri("/ws")).connection(connection).build(),
				new WebServiceTemplate(), customizers);
		proxy.open();
		return proxy;
	}

}
