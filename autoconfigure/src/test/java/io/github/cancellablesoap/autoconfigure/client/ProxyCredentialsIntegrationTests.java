package io.github.cancellablesoap.autoconfigure.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.testsupport.FreePorts;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.ws.transport.http.AbstractHttpSenderConnection;
import org.springframework.ws.transport.context.TransportContextHolder;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy configured with credentials, a forward proxy (bypassed for the loopback host)
 * and request compression off calls a host on embedded Tomcat with response compression
 * on: the credentials arrive as HTTP Basic on every request, Tomcat's gzip answer is
 * decoded, and no password shows in {@code /actuator/configprops} (Boot's own
 * sanitising), {@code /actuator/soapcalls}, {@code /actuator/health} or the logs.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ProxyCredentialsIntegrationTests.CompressingApplication.class,
		webEnvironment = WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.main.path=/soap",
				"cancellable-soap.proxies.secured.address=http://127.0.0.1:${server.port}/soap",
				"cancellable-soap.proxies.secured.credentials.username=alice",
				"cancellable-soap.proxies.secured.credentials.password=" + ProxyCredentialsIntegrationTests.PASSWORD,
				"cancellable-soap.proxies.secured.forward-proxy.host=proxy.invalid",
				"cancellable-soap.proxies.secured.forward-proxy.port=3128",
				"cancellable-soap.proxies.secured.forward-proxy.username=bob",
				"cancellable-soap.proxies.secured.forward-proxy.password="
						+ ProxyCredentialsIntegrationTests.PROXY_PASSWORD,
				"cancellable-soap.proxies.secured.forward-proxy.non-proxy-hosts=localhost,127.*",
				"server.compression.enabled=true", "server.compression.mime-types=text/xml",
				"server.compression.min-response-size=1KB",
				"management.endpoints.web.exposure.include=soapcalls,configprops,health",
				"management.endpoint.configprops.show-values=always", "management.endpoint.health.show-details=always",
				"management.endpoint.health.show-components=always", "logging.level.io.github.cancellablesoap=DEBUG" })
class ProxyCredentialsIntegrationTests {

	static final String PASSWORD = "s3cret-Pa55word";

	static final String PROXY_PASSWORD = "pr0xy-Pa55word";

	private static final int PORT = FreePorts.loopback();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	@Qualifier("secured")
	ServiceProxy proxy;

	@Autowired
	Received received;

	@Test
	void credentialsArriveOnEveryRequestAndTomcatsGzipAnswerIsDecoded(CapturedOutput output) throws Exception {
		for (int i = 0; i < 2; i++) {
			StringResult result = new StringResult();
			this.proxy.sendSourceAndReceiveToResult(new StringSource("<b:Big xmlns:b=\"urn:big\"/>"), result);
			assertThat(result.toString()).contains("BigResponse").contains("x".repeat(8192));
		}
		assertThat(this.received.authorizations).hasSize(2)
			.containsOnly("Basic " + java.util.Base64.getEncoder()
				.encodeToString(("alice:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(this.received.acceptEncodings).containsOnly("gzip, deflate");
		assertThat(this.received.responseEncodings).hasSize(2).containsOnly("gzip");

		String configprops = get("/actuator/configprops");
		assertThat(configprops).contains("alice").contains("proxy.invalid").contains("******");
		String soapcalls = get("/actuator/soapcalls");
		assertThat(soapcalls).contains("secured");
		String health = get("/actuator/health");
		assertThat(health).contains("secured");
		for (String answer : List.of(configprops, soapcalls, get("/actuator/soapcalls/proxies/secured"), health,
				output.getAll())) {
			assertThat(answer).doesNotContain(PASSWORD).doesNotContain(PROXY_PASSWORD);
		}
	}

	private static String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
		return response.body();
	}

	/**
	 * What the host received and the proxy was answered.
	 */
	static class Received {

		final List<String> authorizations = new CopyOnWriteArrayList<>();

		final List<String> acceptEncodings = new CopyOnWriteArrayList<>();

		final List<String> responseEncodings = new CopyOnWriteArrayList<>();

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Received.class, BigEndpoint.class })
	static class CompressingApplication {

		@Bean
		Filter recordingFilter(Received received) {
			return (request, response, chain) -> {
				HttpServletRequest http = (HttpServletRequest) request;
				if (http.getRequestURI().startsWith("/soap")) {
					received.authorizations.add(String.valueOf(http.getHeader("Authorization")));
					received.acceptEncodings.add(String.valueOf(http.getHeader("Accept-Encoding")));
				}
				chain.doFilter(request, response);
			};
		}

		@Bean
		ServiceProxyCustomizer responseEncodings(Received received) {
			return (name, template) -> template.setInterceptors(new ClientInterceptor[] { new ClientInterceptor() {

				@Override
				public boolean handleRequest(MessageContext messageContext) {
					return true;
				}

				@Override
				public boolean handleResponse(MessageContext messageContext) throws WebServiceClientException {
					try {
						AbstractHttpSenderConnection connection = (AbstractHttpSenderConnection) TransportContextHolder
							.getTransportContext()
							.getConnection();
						connection.getResponseHeaders("Content-Encoding")
							.forEachRemaining(received.responseEncodings::add);
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
					return true;
				}

				@Override
				public boolean handleFault(MessageContext messageContext) {
					return true;
				}

				@Override
				public void afterCompletion(MessageContext messageContext, Exception ex) {
				}

			} });
		}

	}

	/**
	 * Answers {@code Big} with a response of more than 8 KB, which Tomcat compresses.
	 */
	@Endpoint
	static class BigEndpoint {

		@PayloadRoot(namespace = "urn:big", localPart = "Big")
		@ResponsePayload
		Element big(@RequestPayload Element request) {
			Element response = request.getOwnerDocument().createElementNS("urn:big", "b:BigResponse");
			response.setTextContent("x".repeat(8192));
			return response;
		}

	}

}
