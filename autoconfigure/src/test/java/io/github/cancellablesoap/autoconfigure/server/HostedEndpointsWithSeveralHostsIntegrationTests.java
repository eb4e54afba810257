package io.github.cancellablesoap.autoconfigure.server;

import io.github.cancellablesoap.server.HostedBy;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With several hosts, an endpoint bound with {@code @HostedBy} is served by its host
 * only, and Spring Boot's own {@code MessageDispatcherServlet} answers 404 for it; an
 * endpoint without the annotation is served by no host and stays with Boot's servlet.
 */
@SpringBootTest(classes = HostedEndpointsWithSeveralHostsIntegrationTests.TwoHostApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "cancellable-soap.hosts.orders.path=/soap/orders",
				"cancellable-soap.hosts.billing.path=/soap/billing" })
class HostedEndpointsWithSeveralHostsIntegrationTests {

	private static final String NAMESPACE = "urn:shop";

	private static final String ORDER = SoapPost.envelope("", "<s:Order xmlns:s=\"" + NAMESPACE + "\"/>");

	private static final String PING = SoapPost.envelope("", "<s:Ping xmlns:s=\"" + NAMESPACE + "\"/>");

	@LocalServerPort
	int port;

	@Test
	void anEndpointBoundToAHostIsServedByThatHostOnly() throws Exception {
		assertThat(SoapPost.answered(SoapPost.post(this.port, "/soap/orders", ORDER))).contains("OrderResponse");
		assertThat(SoapPost.post(this.port, "/soap/billing", ORDER).statusCode()).isEqualTo(404);
		assertThat(SoapPost.post(this.port, "/services", ORDER).statusCode()).isEqualTo(404);
	}

	@Test
	void anEndpointThatNoHostServesStaysWithBootsServlet() throws Exception {
		assertThat(SoapPost.answered(SoapPost.post(this.port, "/services", PING))).contains("PingResponse");
		assertThat(SoapPost.post(this.port, "/soap/orders", PING).statusCode()).isEqualTo(404);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ OrderEndpoint.class, PingEndpoint.class })
	static class TwoHostApplication {

	}

	@Endpoint
	@HostedBy("orders")
	static class OrderEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Order")
		@ResponsePayload
		Element order(@RequestPayload Element request) {
			return request.getOwnerDocument().createElementNS(NAMESPACE, "s:OrderResponse");
		}

	}

	@Endpoint
	static class PingEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Ping")
		@ResponsePayload
		Element ping(@RequestPayload Element request) {
			return request.getOwnerDocument().createElementNS(NAMESPACE, "s:PingResponse");
		}

	}

}
