package io.github.cancellablesoap.autoconfigure.server;

import java.net.http.HttpResponse;

import io.github.cancellablesoap.server.CancellationFaults;
import io.github.cancellablesoap.server.HostState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Import;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host configured only through properties, on a real Tomcat: it serves an endpoint
 * without {@code @HostedBy} (the only host serves them all) with its operation context,
 * and refuses requests with 503 and the rejection fault once aborted.
 */
@SpringBootTest(classes = ServiceHostAutoConfigurationIntegrationTests.EchoApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class ServiceHostAutoConfigurationIntegrationTests extends MainHostTests {

	@BeforeEach
	void openHost() {
		if (this.host.state() == HostState.FAULTED || this.host.state() == HostState.CLOSED) {
			this.host.reset();
		}
		this.host.open();
	}

	@Test
	void servesASoapRequestPostedToTheHostsPath() throws Exception {
		HttpResponse<String> response = post();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("EchoResponse").containsPattern("operationId=\"o-[0-9a-z]+\"");
	}

	@Test
	void refusesRequestsWithServiceUnavailableAndAFaultOnceAborted() throws Exception {
		assertThat(this.host.abort("integration test")).isTrue();
		HttpResponse<String> response = post();
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("Fault")
			.contains("<cs:rejected")
			.contains(CancellationFaults.NAMESPACE)
			.contains("host=\"main\"")
			.contains("hostState=\"FAULTED\"")
			.contains("listenerState=\"FAULTED\"");
	}

	private HttpResponse<String> post() throws Exception {
		return SoapPost.post(this.port, "/soap", SoapPost.envelope("", EchoEndpoint.ECHO));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class EchoApplication {

	}

}
