package io.github.cancellablesoap.server;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.StaticApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.ws.wsdl.wsdl11.SimpleWsdl11Definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which WSDL a host publishes at {@code ?wsdl}, with its SOAP addresses pointing at the
 * host and nothing else rewritten, and the 404 that says why when it publishes none.
 */
class WsdlPublicationTests {

	private static final String WSDL = """
			<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" \
			xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" \
			targetNamespace="urn:orders">
			<wsdl:import namespace="urn:types" location="types.wsdl"/>
			<wsdl:service name="Orders">
			<wsdl:port name="OrdersSoap11" binding="tns:b11"><soap:address location="http://old:1/ws"/></wsdl:port>
			<wsdl:port name="OrdersSoap12" binding="tns:b12"><soap12:address location="/ws"/></wsdl:port>
			</wsdl:service>
			</wsdl:definitions>""";

	private final StaticApplicationContext context = new StaticApplicationContext();

	@Test
	void theOnlyDefinitionIsPublishedWithEveryAddressPointingAtTheHost() throws Exception {
		define("orders", WSDL);
		MockHttpServletResponse response = answer(ServiceHostSettings.of("orders", "/soap/orders"));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/xml");
		assertThat(response.getHeader("Cache-Control")).as("rewritten per request: never shared").isEqualTo("no-store");
		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(body.split("location=\"https://example.com:8443/app/soap/orders\"", -1)).hasSize(3);
		assertThat(body).contains("location=\"types.wsdl\"").doesNotContain("http://old:1/ws");
	}

	@Test
	void withSeveralDefinitionsTheNamedOneIsPublished() throws Exception {
		define("orders", WSDL);
		define("billing", WSDL.replace("Orders", "Billing"));
		MockHttpServletResponse response = answer(ServiceHostSettings.of("orders", "/soap/orders")
			.withWire(HostWire.DEFAULT.withWsdlDefinition("billing")));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("BillingSoap12")
			.doesNotContain("OrdersSoap12");
	}

	@Test
	void withSeveralDefinitionsAndNoneNamedNothingIsPublishedAndTheAnswerSaysWhy() throws Exception {
		define("orders", WSDL);
		define("billing", WSDL);
		MockHttpServletResponse response = answer(ServiceHostSettings.of("orders", "/soap/orders"));
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("2 Wsdl11Definition beans")
			.contains("orders")
			.contains("billing")
			.contains("cancellable-soap.hosts.orders.wsdl-definition");
	}

	@Test
	void withoutDefinitionsNothingIsPublished() throws Exception {
		MockHttpServletResponse response = answer(ServiceHostSettings.of("orders", "/soap/orders"));
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("no Wsdl11Definition bean");
	}

	@Test
	void aNamedDefinitionThatIsMissingFails() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> WsdlPublication.of(
				ServiceHostSettings.of("orders", "/soap/orders").withWire(HostWire.DEFAULT.withWsdlDefinition("none")),
				this.context));
	}

	@Test
	void onlyAGetWithTheQueryWsdlAsksForTheWsdl() {
		assertThat(WsdlPublication.isWsdlRequest(request("GET", "wsdl"))).isTrue();
		assertThat(WsdlPublication.isWsdlRequest(request("GET", "WSDL"))).isTrue();
		assertThat(WsdlPublication.isWsdlRequest(request("POST", "wsdl"))).isFalse();
		assertThat(WsdlPublication.isWsdlRequest(request("GET", "wsdl=1"))).isFalse();
		assertThat(WsdlPublication.isWsdlRequest(request("GET", null))).isFalse();
	}

	private void define(String name, String wsdl) {
		this.context.registerBean(name, SimpleWsdl11Definition.class,
				() -> new SimpleWsdl11Definition(new ByteArrayResource(wsdl.getBytes(StandardCharsets.UTF_8))));
	}

	private MockHttpServletResponse answer(ServiceHostSettings settings) throws Exception {
		this.context.refresh();
		WsdlPublication publication = WsdlPublication.of(settings, this.context);
		MockHttpServletResponse response = new MockHttpServletResponse();
		publication.answer(request("GET", "wsdl"), response);
		return response;
	}

	private static MockHttpServletRequest request(String method, String query) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/app/soap/orders");
		request.setScheme("https");
		request.setServerName("example.com");
		request.setServerPort(8443);
		request.setContextPath("/app");
		request.setQueryString(query);
		return request;
	}

}
