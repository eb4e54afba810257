package io.github.cancellablesoap.autoconfigure.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.cancellablesoap.server.CancellationFaults;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.server.ServiceHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host configured only through properties, on a real Tomcat: it serves an endpoint
 * without {@code @HostedBy} (the only host serves them all) with its operation context,
 * and refuses requests with 503 and the rejection fault once aborted.
 */
@SpringBootTest(classes = ServiceHostAutoConfigurationIntegrationTests.EchoApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class ServiceHostAutoConfigurationIntegrationTests {

	private static final String NAMESPACE = "urn:echo";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("main")
	ServiceHost host;

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
		String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<soapenv:Body><e:Echo xmlns:e=\"" + NAMESPACE + "\"/></soapenv:Body></soapenv:Envelope>";
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/soap"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "text/xml; charset=utf-8")
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(envelope))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class EchoApplication {

		@Bean
		EchoEndpoint echoEndpoint() {
			return new EchoEndpoint();
		}

	}

	@Endpoint
	static class EchoEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Echo")
		@ResponsePayload
		Element echo(@RequestPayload Element request, OperationContext context) {
			Element response = request.getOwnerDocument().createElementNS(NAMESPACE, "e:EchoResponse");
			response.setAttribute("operationId", context.operationId());
			return response;
		}

	}

}
