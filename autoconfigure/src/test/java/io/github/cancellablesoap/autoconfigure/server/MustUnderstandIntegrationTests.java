package io.github.cancellablesoap.autoconfigure.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.xml.namespace.QName;

import io.github.cancellablesoap.server.OperationOutcome;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.server.EndpointInterceptor;
import org.springframework.ws.soap.SoapHeaderElement;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.server.SoapEndpointInterceptor;

import static io.github.cancellablesoap.autoconfigure.server.SoapPost.Version.SOAP_11;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A host follows SOAP 1.1's {@code mustUnderstand} rule as Spring WS's
 * {@code SoapMessageDispatcher} does: a header block for this node that nothing
 * understands gets a MustUnderstand fault before the endpoint runs, counted as a FAULT;
 * one that an endpoint interceptor understands (the way a WS-Security interceptor does)
 * goes through; one addressed to another actor is not this node's business.
 */
@SpringBootTest(classes = MustUnderstandIntegrationTests.TokenApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class MustUnderstandIntegrationTests {

	static final String TOKEN_NAMESPACE = "urn:token";

	@LocalServerPort
	int port;

	@Autowired
	EchoEndpoint endpoint;

	@Autowired
	TokenInterceptor interceptor;

	@Autowired
	RecordingOperationListener ended;

	@BeforeEach
	void clear() {
		this.endpoint.calls.set(0);
		this.interceptor.understood.clear();
	}

	@Test
	void aHeaderBlockThatMustBeUnderstoodAndIsNotGetsAMustUnderstandFault() throws Exception {
		HttpResponse<String> response = SOAP_11.postEcho(this.port, SOAP_11.unknown(null));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("MustUnderstand").doesNotContain("EchoResponse");
		assertThat(this.endpoint.calls).hasValue(0);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.ended.outcomes()).contains(OperationOutcome.FAULT));
		assertThat(this.ended.ended).allSatisfy((operation) -> assertThat(operation.operation()).isEqualTo("Echo"));
	}

	@Test
	void aHeaderBlockThatAnInterceptorUnderstandsGoesThrough() throws Exception {
		String token = SOAP_11.mustUnderstand("t:Token xmlns:t=\"" + TOKEN_NAMESPACE + "\"", "ok", null);
		assertThat(SoapPost.answered(SOAP_11.postEcho(this.port, token))).contains("EchoResponse");
		assertThat(this.interceptor.understood).containsExactly(new QName(TOKEN_NAMESPACE, "Token"));
		assertThat(this.endpoint.calls).hasValue(1);
	}

	@Test
	void aHeaderBlockForAnotherActorIsLeftAlone() throws Exception {
		assertThat(SoapPost.answered(SOAP_11.postEcho(this.port, SOAP_11.unknown("urn:some-other-node"))))
			.contains("EchoResponse");
		assertThat(this.endpoint.calls).hasValue(1);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ EchoEndpoint.class, TokenInterceptor.class })
	static class TokenApplication {

		@Bean
		WsConfigurer tokenConfigurer(TokenInterceptor interceptor) {
			return new WsConfigurer() {

				@Override
				public void addInterceptors(List<EndpointInterceptor> interceptors) {
					interceptors.add(interceptor);
				}

			};
		}

		@Bean
		RecordingOperationListener endedOperations() {
			return new RecordingOperationListener();
		}

	}

	/**
	 * Understands the token header block, as a security interceptor understands its own.
	 */
	static class TokenInterceptor implements SoapEndpointInterceptor {

		final Queue<QName> understood = new ConcurrentLinkedQueue<>();

		@Override
		public boolean understands(SoapHeaderElement header) {
			return TOKEN_NAMESPACE.equals(header.getName().getNamespaceURI());
		}

		@Override
		public boolean handleRequest(MessageContext messageContext, Object endpoint) {
			SoapMessage request = (SoapMessage) messageContext.getRequest();
			request.getSoapHeader()
				.examineAllHeaderElements()
				.forEachRemaining((header) -> this.understood.add(header.getName()));
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext, Object endpoint) {
			return true;
		}

		@Override
		public boolean handleFault(MessageContext messageContext, Object endpoint) {
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, Object endpoint, @Nullable Exception ex) {
		}

	}

}
