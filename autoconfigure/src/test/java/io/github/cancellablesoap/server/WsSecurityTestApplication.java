package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.server.AbstractHostCancelIntegrationTests.CancelEndpoints;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import io.github.cancellablesoap.testsupport.WsSecurityKeys;
import org.apache.wss4j.dom.WSConstants;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.EndpointInterceptor;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.ws.soap.server.endpoint.interceptor.DelegatingSmartSoapEndpointInterceptor;
import org.springframework.ws.soap.security.wss4j2.Wss4jSecurityInterceptor;
import org.springframework.ws.soap.server.endpoint.interceptor.PayloadRootSmartSoapEndpointInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application of {@link WsSecurityIntegrationTests}: host "c" of
 * {@link CancelEndpoints}, an endpoint no host serves ({@link OpenEndpoint}), the
 * WS-Security interceptors wired the documented way (a {@link ServiceProxyCustomizer} per
 * proxy name, a {@link WsConfigurer} for the endpoints), the test's keys, and the
 * interceptors that show where interceptors run. Everything here is thread-safe.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ CancelEndpoints.class, WsSecurityTestApplication.OpenEndpoint.class })
class WsSecurityTestApplication {

	@Bean
	RecordingOperationListener recordingOperationListener() {
		return new RecordingOperationListener();
	}

	/**
	 * Sees the hosted Brief requests that passed validation, as Spring WS adds a smart
	 * interceptor bean to every endpoint mapping.
	 */
	@Bean
	PayloadRootSmartSoapEndpointInterceptor briefsSeen() {
		return new PayloadRootSmartSoapEndpointInterceptor(new Seeing(), AbstractHostCancelIntegrationTests.NS,
				"Brief");
	}

	/**
	 * A plain interceptor bean: Spring WS adds none of these to its mappings (only smart
	 * ones, and those of {@code WsConfigurer#addInterceptors}), for hosts as for its own
	 * servlet.
	 */
	@Bean
	Seeing plainInterceptorBean() {
		return new Seeing();
	}

	/**
	 * Sees the requests of hosted endpoints only: an operation's context is current when
	 * a host's dispatcher asks a smart interceptor, and never in Spring WS's own servlet.
	 */
	@Bean
	DelegatingSmartSoapEndpointInterceptor hostedSeen() {
		return new DelegatingSmartSoapEndpointInterceptor(new Seeing()) {

			@Override
			public boolean shouldIntercept(MessageContext messageContext, Object endpoint) {
				return OperationContext.findCurrent().isPresent();
			}

		};
	}

	/** Signs the responses of host c's Brief operation. */
	@Bean
	PayloadRootSmartSoapEndpointInterceptor briefResponsesSigned() {
		return new PayloadRootSmartSoapEndpointInterceptor(WsSecurityKeys.signingResponses(),
				AbstractHostCancelIntegrationTests.NS, "Brief");
	}

	@Bean
	SigningGate signingGate() {
		return new SigningGate();
	}

	/** Secures each proxy's requests as its name says; "plain" sends none. */
	@Bean
	ServiceProxyCustomizer wsSecurity(SigningGate gate) {
		return (name, template) -> {
			List<ClientInterceptor> interceptors = new ArrayList<>();
			if (template.getInterceptors() != null) {
				interceptors.addAll(List.of(template.getInterceptors()));
			}
			switch (name) {
				case "digest", "direct", "unacquainted" ->
					interceptors.add(WsSecurityKeys.trusted(WSConstants.PW_DIGEST));
				case "text" -> interceptors.add(WsSecurityKeys.trusted(WSConstants.PW_TEXT));
				case "wrongPassword" -> interceptors.add(WsSecurityKeys.securing(WSConstants.PW_DIGEST,
						WsSecurityKeys.CLIENT_WRONG_PASSWORD, WsSecurityKeys.WRONG_PASSWORD));
				case "untrusted" -> interceptors.add(WsSecurityKeys.securing(WSConstants.PW_DIGEST,
						WsSecurityKeys.INTRUDER, WsSecurityKeys.PASSWORD));
				case "slowSigning" -> {
					interceptors.add(WsSecurityKeys.trusted(WSConstants.PW_DIGEST));
					interceptors.add(gate);
				}
				case "mutual" -> interceptors.add(WsSecurityKeys.mutual(true));
				case "distrustful" -> interceptors.add(WsSecurityKeys.mutual(false));
				case "plain" -> {
				}
				default -> throw new IllegalArgumentException("No security for proxy " + name);
			}
			template.setInterceptors(interceptors.toArray(ClientInterceptor[]::new));
		};
	}

	/**
	 * The validating interceptor, a bean as the README shows: Spring WS does not add it
	 * to its mappings by itself (it is no smart interceptor), else every request would be
	 * validated twice and fail the second time, its security header removed.
	 */
	@Bean
	Wss4jSecurityInterceptor validation() {
		return WsSecurityKeys.validating();
	}

	/** Validates every request of the application's endpoint mappings. */
	@Bean
	WsConfigurer wsSecurityValidation(Wss4jSecurityInterceptor validation) {
		return new WsConfigurer() {

			@Override
			public void addInterceptors(List<EndpointInterceptor> interceptors) {
				interceptors.add(validation);
			}

		};
	}

	/**
	 * A client interceptor after the signing one that, while closed, holds each request
	 * (bounded) before it is sent, as a slow signature would. Thread-safe.
	 */
	static final class SigningGate implements ClientInterceptor {

		private volatile CountDownLatch held = new CountDownLatch(1);

		private volatile CountDownLatch open = new CountDownLatch(0);

		private volatile byte[] lastRequest = new byte[0];

		void close() {
			this.held = new CountDownLatch(1);
			this.open = new CountDownLatch(1);
		}

		void pass() {
			this.open.countDown();
		}

		byte[] lastRequest() {
			return this.lastRequest;
		}

		void awaitHeld() throws InterruptedException {
			assertThat(this.held.await(10, TimeUnit.SECONDS)).as("a request is held").isTrue();
		}

		@Override
		public boolean handleRequest(MessageContext messageContext) {
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			try {
				messageContext.getRequest().writeTo(request);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.lastRequest = request.toByteArray();
			this.held.countDown();
			try {
				this.open.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext) {
			return true;
		}

		@Override
		public boolean handleFault(MessageContext messageContext) {
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, Exception ex) {
		}

	}

	/**
	 * An endpoint interceptor that records the caller's call id of each request it sees,
	 * read from the operation's context, which is current while interceptors run.
	 * Thread-safe.
	 */
	static final class Seeing implements EndpointInterceptor {

		final Queue<String> callerCallIds = new ConcurrentLinkedQueue<>();

		@Override
		public boolean handleRequest(MessageContext messageContext, Object endpoint) {
			this.callerCallIds.add(OperationContext.current().callerCallId().orElse("none"));
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

	/**
	 * An endpoint bound to no host: with two hosts configured, Spring Boot's own
	 * {@code MessageDispatcherServlet} serves it. Echoes its request.
	 */
	@Endpoint
	static class OpenEndpoint {

		static final String NAMESPACE = "urn:open";

		static final AtomicInteger served = new AtomicInteger();

		@PayloadRoot(namespace = NAMESPACE, localPart = "Open")
		@ResponsePayload
		Element open(@RequestPayload Element request) {
			served.incrementAndGet();
			return request;
		}

	}

}
