package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.testsupport.StalledTlsPeer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Closing the application after an abort during a TLS handshake: the handshaking socket
 * was closed by the abort, so the shutdown finds nothing half-open and logs no error from
 * HttpClient's I/O reactor.
 */
@ExtendWith(OutputCaptureExtension.class)
class StalledHandshakeShutdownTests {

	@AutoClose
	private final StalledTlsPeer peer = StalledTlsPeer.start();

	@AutoClose("shutdownNow")
	private final ExecutorService callers = Executors.newCachedThreadPool();

	@Test
	void closingTheContextAfterAnAbortInTheHandshakeLogsNoReactorError(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, CancellableSoapAutoConfiguration.class,
					ServiceProxyAutoConfiguration.class))
			.withPropertyValues("cancellable-soap.proxies.stalled.address=" + this.peer.uri("/soap"),
					"cancellable-soap.proxies.stalled.connect-timeout=30s")
			.run((context) -> {
				ServiceProxy proxy = context.getBean(ServiceProxies.class).find("stalled").orElseThrow();
				PendingCall<String> call = proxy.submit((operations) -> {
					StringResult result = new StringResult();
					operations.sendSourceAndReceiveToResult(new StringSource("<t:Hello xmlns:t=\"urn:tls\"/>"), result);
					return result.toString();
				}, this.callers);
				StalledTlsPeer.Connection connection = this.peer.awaitConnection(0, Duration.ofSeconds(5));
				assertThat(connection.awaitClientHello(Duration.ofSeconds(5))).isTrue();
				assertThat(proxy.abortCall(call.callId(), "operator")).isTrue();
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> call.result().get(1, TimeUnit.SECONDS))
					.withCauseInstanceOf(CallAbortedException.class);
				assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(1))).isTrue();
			});
		assertThat(output).doesNotContain("CancelledKeyException").doesNotContain(" ERROR ");
	}

}
