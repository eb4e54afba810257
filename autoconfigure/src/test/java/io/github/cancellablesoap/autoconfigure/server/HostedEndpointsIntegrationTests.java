package io.github.cancellablesoap.autoconfigure.server;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.ws.wsdl.wsdl11.SimpleWsdl11Definition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With one host configured, every endpoint is hosted: Spring Boot's own
 * {@code MessageDispatcherServlet} answers 404 for it (also while the host's listener is
 * aborted, so nothing serves around the host), and still publishes the WSDL.
 */
@SpringBootTest(classes = HostedEndpointsIntegrationTests.EchoApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class HostedEndpointsIntegrationTests extends MainHostTests {

	private static final String NAMESPACE = EchoEndpoint.NAMESPACE;

	private static final String ECHO = SoapPost.envelope("", EchoEndpoint.ECHO);

	@Autowired
	EchoEndpoint endpoint;

	@BeforeEach
	void openHost() {
		if (this.host.state() == HostState.OPEN && this.host.listenerState() == ListenerState.FAULTED) {
			this.host.resetListener();
		}
		this.host.open();
		this.endpoint.calls.set(0);
	}

	@Test
	void bootsServletAnswersNotFoundForAHostedEndpointWhileTheHostsListenerIsAborted() throws Exception {
		assertThat(this.host.abortListener("maintenance")).isTrue();
		assertThat(SoapPost.post(this.port, "/soap", ECHO).statusCode()).isEqualTo(503);
		HttpResponse<String> around = SoapPost.post(this.port, "/services", ECHO);
		assertThat(around.statusCode()).isEqualTo(404);
		assertThat(around.body()).doesNotContain("EchoResponse");
		assertThat(this.endpoint.calls).hasValue(0);
	}

	@Test
	void theHostServesTheEndpointThatBootsServletRefuses() throws Exception {
		assertThat(SoapPost.post(this.port, "/services", ECHO).statusCode()).isEqualTo(404);
		assertThat(SoapPost.answered(SoapPost.post(this.port, "/soap", ECHO))).contains("EchoResponse");
		assertThat(this.endpoint.calls).hasValue(1);
	}

	@Test
	void bootsServletStillPublishesTheWsdl() throws Exception {
		HttpResponse<String> wsdl = SoapPost.get(this.port, "/services/echo.wsdl");
		assertThat(wsdl.statusCode()).isEqualTo(200);
		assertThat(wsdl.body()).contains("definitions").contains("targetNamespace=\"" + NAMESPACE + "\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class EchoApplication {

		@Bean
		SimpleWsdl11Definition echo() {
			return new SimpleWsdl11Definition(new ByteArrayResource(
					("<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" targetNamespace=\"" + NAMESPACE
							+ "\"/>")
						.getBytes(StandardCharsets.UTF_8)));
		}

	}

}
