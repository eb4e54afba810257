package io.github.cancellablesoap.client;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.testsupport.Tinyproxy;
import io.github.cancellablesoap.testsupport.TlsEchoServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Calls through a real forward proxy, tinyproxy (Debian's package {@code tinyproxy}),
 * started by each test on a random loopback port: http as absolute-URI requests, https
 * through a {@code CONNECT} tunnel to a TLS server, hosts that bypass it, and its HTTP
 * Basic authentication. Skipped, with a message that says so, where tinyproxy is not
 * installed.
 */
@EnabledIf(value = "io.github.cancellablesoap.testsupport.Tinyproxy#installed",
		disabledReason = "no tinyproxy binary on the PATH, in /usr/sbin or /usr/bin: install Debian's package "
				+ "tinyproxy to run the forward-proxy tests")
class ForwardProxyIntegrationTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@TempDir
	Path dir;

	@Test
	void anHttpCallGoesThroughTheForwardProxyAsAnAbsoluteUriRequest() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir));
		DefaultServiceProxy proxy = this.fixture.open(through(tinyproxy, null, List.of()));

		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");

		RecordedRequest received = this.fixture.awaitRequest(0).lastRequest();
		assertThat(received.header("Via")).as("the proxy's Via header").contains("test-tinyproxy");
		assertThat(received.header("Proxy-Authorization")).isNull();
		assertThat(tinyproxy.log()).contains("Request (file descriptor")
			.contains("POST " + this.fixture.server().uri("/ws") + " HTTP/1.1");
	}

	@Test
	void anHttpsCallTunnelsThroughConnect() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir.resolve("proxy")));
		TlsEchoServer target = this.fixture
			.closeAfter(TlsEchoServer.start(this.dir, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		try (AutoCloseable trusted = target.trustedByDefault()) {
			DefaultServiceProxy proxy = this.fixture.open(target.uri("/ws"),
					(settings) -> settings.connection(connection(tinyproxy, null, List.of())));

			assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
			// the tunnel goes back to the pool just after the caller has its answer: wait
			// for
			// the call to leave, so the second call finds it there
			ProxyFixture.awaitNothingInFlight(proxy);
			assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		}

		assertThat(target.requests()).hasSize(2)
			.allSatisfy(
					(headers) -> assertThat(headers).doesNotContainKey("Proxy-authorization").doesNotContainKey("Via"));
		String connect = "CONNECT 127.0.0.1:" + target.port() + " HTTP/1.1";
		assertThat(tinyproxy.log().split(java.util.regex.Pattern.quote(connect), -1))
			.as("one tunnel, reused by the second call")
			.hasSize(2);
		assertThat(tinyproxy.log()).doesNotContain("POST ");
	}

	@Test
	void manyCallersShareTheForwardProxysConnectionsAndAbortsAmongThemLeaveTheOthersWhole() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir));
		DefaultServiceProxy proxy = this.fixture.open(through(tinyproxy, null, List.of()));
		ProxyFixture.awaitAll(this.fixture.repeatOnThreads(8, 10, () -> {
			PendingCall<String> call = proxy.submit(ProxyFixture::echo, Runnable::run);
			proxy.abortCall(call.callId(), "racing");
			try {
				call.result().get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(CallAbortedException.class);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		}));
		ProxyFixture.awaitNothingInFlight(proxy);
		assertThat(this.fixture.server().requestCount()).isGreaterThanOrEqualTo(80);
	}

	@Test
	void aHostThatMatchesANonProxyHostsPatternIsCalledDirectly() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir));
		DefaultServiceProxy proxy = this.fixture.open(through(tinyproxy, null, List.of("localhost", "127.0.*")));

		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");

		assertThat(this.fixture.awaitRequest(0).lastRequest().header("Via")).isNull();
		assertThat(tinyproxy.log()).doesNotContain("Request (file descriptor");
	}

	@Test
	void proxyCredentialsAnswerTheProxysBasicAuthenticationForHttpAndHttps() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir.resolve("proxy"), "alice", "s3cret"));
		TlsEchoServer target = this.fixture
			.closeAfter(TlsEchoServer.start(this.dir, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		BasicCredentials alice = new BasicCredentials("alice", "s3cret");

		DefaultServiceProxy http = this.fixture.open(through(tinyproxy, alice, List.of()));
		assertThat(ProxyFixture.echo(http)).contains("echoResponse");
		assertThat(ProxyFixture.echo(http)).contains("echoResponse");
		assertThat(this.fixture.server().requestCount()).isEqualTo(2);

		try (AutoCloseable trusted = target.trustedByDefault()) {
			DefaultServiceProxy https = this.fixture.open(target.uri("/ws"),
					(settings) -> settings.connection(connection(tinyproxy, alice, List.of())));
			assertThat(ProxyFixture.echo(https)).contains("echoResponse");
		}
		assertThat(target.requests()).hasSize(1);
		assertThat(target.requests().get(0)).doesNotContainKey("Proxy-authorization")
			.doesNotContainKey("Authorization");
	}

	@Test
	void aForwardProxyThatRefusesTheCredentialsFailsTheCallWith407WithoutShowingThem() throws Exception {
		Tinyproxy tinyproxy = this.fixture.closeAfter(Tinyproxy.start(this.dir, "alice", "s3cret"));

		DefaultServiceProxy none = this.fixture.open(through(tinyproxy, null, List.of()));
		assertThat(failure(none)).hasStackTraceContaining("407");
		DefaultServiceProxy wrong = this.fixture
			.open(through(tinyproxy, new BasicCredentials("alice", "wrong-password"), List.of()));
		Throwable refused = failure(wrong);
		assertThat(refused).hasStackTraceContaining("407");
		assertThat(stackTrace(refused)).doesNotContain("wrong-password");
		assertThat(this.fixture.server().requestCount()).isZero();
	}

	static String stackTrace(Throwable failure) {
		java.io.StringWriter text = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

	private static Throwable failure(ServiceProxy proxy) {
		PendingCall<String> call = proxy.submit(ProxyFixture::echo, Runnable::run);
		return assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.actual()
			.getCause();
	}

	private java.util.function.UnaryOperator<ProxySettings.Builder> through(Tinyproxy tinyproxy,
			@Nullable BasicCredentials credentials, List<String> nonProxyHosts) {
		return (settings) -> settings.connection(connection(tinyproxy, credentials, nonProxyHosts));
	}

	static ConnectionSettings connection(Tinyproxy tinyproxy, @Nullable BasicCredentials credentials,
			List<String> nonProxyHosts) {
		return new ConnectionSettings(new ForwardProxy("127.0.0.1", tinyproxy.port(), credentials, nonProxyHosts), null,
				false, PoolSettings.DEFAULTS);
	}

}
