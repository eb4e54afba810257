package io.github.cancellablesoap.autoconfigure.observation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.OperationListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across three hops, with Boot's tracing auto-configuration and Brave in every
 * application: a caller's proxy calls host {@code front} (one application on Tomcat,
 * random port), whose endpoint calls host {@code back} (a second application) through its
 * proxy {@code downstream}. The front operation's span is a child of the caller's call
 * span, the downstream call's span a child of the front operation's span, and the back
 * operation's span a child of the downstream call's span; in W3C {@code traceparent} by
 * default and in B3 when the applications propagate B3. A request from a client that
 * sends no trace context starts a new trace and is served as before.
 */
class TracingAcrossHopsIntegrationTests {

	private static final String NAMESPACE = "urn:hops";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

	private final SpanRecorder spans = new SpanRecorder();

	private final HeaderRecorder headers = new HeaderRecorder();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	@AfterEach
	void stop() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void oneTraceRunsFromTheCallerThroughBothHostsInW3cByDefault() {
		int front = startHosts();
		callFront(front, new String[0], (traceId) -> {
			assertThat(this.headers.of("front", "traceparent")).startsWith("00-" + traceId + "-");
			assertThat(this.headers.of("back", "traceparent")).startsWith("00-" + traceId + "-");
			assertThat(this.headers.of("front", "b3")).isNull();
		});
	}

	@Test
	void oneTraceRunsFromTheCallerThroughBothHostsInB3WhenConfigured() {
		String b3 = "management.tracing.propagation.type=b3";
		int front = startHosts(b3);
		callFront(front, new String[] { b3 }, (traceId) -> {
			assertThat(this.headers.of("front", "b3")).startsWith(traceId + "-");
			assertThat(this.headers.of("back", "b3")).startsWith(traceId + "-");
			assertThat(this.headers.of("front", "traceparent")).isNull();
		});
	}

	@Test
	void aRequestWithoutTraceContextStartsANewTraceAndIsServedAsBefore() throws Exception {
		int front = startHosts();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + front + "/front"))
			.timeout(WAIT)
			.header("Content-Type", "text/xml; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString("<soapenv:Envelope xmlns:soapenv="
					+ "\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><h:Relay xmlns:h=\"" + NAMESPACE
					+ "\"/></soapenv:Body></soapenv:Envelope>"))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("RelayResponse").contains("EchoResponse");
		assertThat(this.headers.of("front", "traceparent")).isNull();

		MutableSpan frontOperation = this.spans.awaitOne("the front operation", operationOf("front"));
		MutableSpan downstreamCall = this.spans.awaitOne("the downstream call", callOf("downstream"));
		MutableSpan backOperation = this.spans.awaitOne("the back operation", operationOf("back"));
		assertThat(frontOperation.traceId()).matches("[0-9a-f]{32}");
		assertThat(this.spans.all()).filteredOn(callOf("front")).isEmpty();
		assertThat(downstreamCall.traceId()).isEqualTo(frontOperation.traceId());
		assertThat(downstreamCall.parentId()).isEqualTo(frontOperation.id());
		assertThat(backOperation.traceId()).isEqualTo(frontOperation.traceId());
		assertThat(backOperation.parentId()).isEqualTo(downstreamCall.id());
		assertThat(frontOperation.tag("outcome")).isEqualTo("COMPLETED");
		assertThat(frontOperation.tag("call.id")).isNull();
	}

	/**
	 * Call host {@code front} through a proxy of a third application, check the spans of
	 * all hops and what the check adds about the headers, given the caller's trace id.
	 */
	private void callFront(int front, String[] properties, Consumer<String> headerCheck) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class,
							CancellableSoapMetricsAutoConfiguration.class, ObservationAutoConfiguration.class,
							MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class))
			.withBean(SpanHandler.class, () -> this.spans)
			.withPropertyValues("cancellable-soap.proxies.front.address=http://localhost:" + front + "/front",
					"management.tracing.sampling.probability=1.0")
			.withPropertyValues(properties)
			.run((context) -> {
				ServiceProxy proxy = context.getBean(ServiceProxies.class).find("front").orElseThrow();
				StringResult result = new StringResult();
				proxy.sendSourceAndReceiveToResult(
						new StringSource("<h:Relay xmlns:h=\"" + NAMESPACE + "\" sent=\"caller\"/>"), result);
				assertThat(result.toString()).contains("RelayResponse").contains("EchoResponse");
			});

		MutableSpan call = this.spans.awaitOne("the caller's call", callOf("front"));
		MutableSpan frontOperation = this.spans.awaitOne("the front operation", operationOf("front"));
		MutableSpan downstreamCall = this.spans.awaitOne("the downstream call", callOf("downstream"));
		MutableSpan backOperation = this.spans.awaitOne("the back operation", operationOf("back"));
		String traceId = call.traceId();
		assertThat(traceId).matches("[0-9a-f]{32}");
		assertThat(List.of(frontOperation, downstreamCall, backOperation))
			.allSatisfy((span) -> assertThat(span.traceId()).as("trace of %s", span.name()).isEqualTo(traceId));
		assertThat(call.kind()).isEqualTo(brave.Span.Kind.CLIENT);
		assertThat(frontOperation.kind()).isEqualTo(brave.Span.Kind.SERVER);
		assertThat(frontOperation.parentId()).isEqualTo(call.id());
		assertThat(downstreamCall.kind()).isEqualTo(brave.Span.Kind.CLIENT);
		assertThat(downstreamCall.parentId()).isEqualTo(frontOperation.id());
		assertThat(backOperation.kind()).isEqualTo(brave.Span.Kind.SERVER);
		assertThat(backOperation.parentId()).isEqualTo(downstreamCall.id());
		assertThat(frontOperation.name()).isEqualTo("soap operation front Relay");
		assertThat(frontOperation.tag("call.id")).isEqualTo(call.tag("call.id")).isNotNull();
		assertThat(frontOperation.tag("outcome")).isEqualTo("COMPLETED");
		assertThat(frontOperation.tag("operation.name")).isEqualTo("Relay");
		assertThat(backOperation.tag("call.id")).isEqualTo(downstreamCall.tag("call.id")).isNotNull();
		// the child ends before its parent: the scope was closed before the operation
		// ended
		assertThat(downstreamCall.finishTimestamp()).isLessThanOrEqualTo(frontOperation.finishTimestamp());
		headerCheck.accept(traceId);
	}

	private static Predicate<MutableSpan> operationOf(String host) {
		return (span) -> span.name() != null && span.name().startsWith("soap operation ")
				&& host.equals(span.tag("host"));
	}

	private static Predicate<MutableSpan> callOf(String proxy) {
		return (span) -> span.name() != null && span.name().startsWith("soap call ") && proxy.equals(span.tag("proxy"));
	}

	/**
	 * Start host {@code back}, then host {@code front} whose proxy calls it.
	 * @return the port of host {@code front}
	 */
	private int startHosts(String... properties) {
		int back = start(BackApplication.class, properties, "cancellable-soap.hosts.back.path=/back");
		return start(FrontApplication.class, properties, "cancellable-soap.hosts.front.path=/front",
				"cancellable-soap.proxies.downstream.address=http://localhost:" + back + "/back");
	}

	private int start(Class<?> application, String[] properties, String... own) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.SERVLET)
			.initializers((initializing) -> {
				initializing.getBeanFactory().registerSingleton("spanRecorder", this.spans);
				initializing.getBeanFactory().registerSingleton("headerRecorder", this.headers);
			})
			.properties("server.port=0", "spring.main.banner-mode=off", "management.tracing.sampling.probability=1.0")
			.properties(own)
			.properties(properties)
			.run();
		this.applications.add(context);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * The application of host {@code front}, whose endpoint calls host {@code back}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class FrontApplication {

		@Bean
		RelayEndpoint relayEndpoint(@Qualifier("downstream") ServiceProxy downstream) {
			return new RelayEndpoint(downstream);
		}

	}

	/**
	 * The application of host {@code back}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class BackApplication {

	}

	/**
	 * Calls host {@code back} while it serves, and answers with what it answered.
	 */
	@Endpoint
	static class RelayEndpoint {

		private final ServiceProxy downstream;

		RelayEndpoint(ServiceProxy downstream) {
			this.downstream = downstream;
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "Relay")
		@ResponsePayload
		StringSource relay(@RequestPayload Element request) {
			StringResult result = new StringResult();
			this.downstream.sendSourceAndReceiveToResult(new StringSource("<h:Echo xmlns:h=\"" + NAMESPACE + "\"/>"),
					result);
			String echoed = result.toString().contains("EchoResponse") ? "EchoResponse" : "nothing";
			return new StringSource("<h:RelayResponse xmlns:h=\"" + NAMESPACE + "\">" + echoed + "</h:RelayResponse>");
		}

	}

	/**
	 * Answers at once.
	 */
	@Endpoint
	static class EchoEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Echo")
		@ResponsePayload
		StringSource echo(@RequestPayload Element request) {
			return new StringSource("<h:EchoResponse xmlns:h=\"" + NAMESPACE + "\"/>");
		}

	}

	/**
	 * Keeps every span that ends, in every application.
	 */
	static final class SpanRecorder extends SpanHandler {

		private final Queue<MutableSpan> ended = new ConcurrentLinkedQueue<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			if (cause == Cause.FINISHED) {
				this.ended.add(span);
			}
			return true;
		}

		List<MutableSpan> all() {
			return List.copyOf(this.ended);
		}

		MutableSpan awaitOne(String description, Predicate<MutableSpan> matching) {
			await().atMost(WAIT).alias(description).until(() -> this.ended.stream().anyMatch(matching));
			List<MutableSpan> found = this.ended.stream().filter(matching).toList();
			assertThat(found).as(description).hasSize(1);
			return found.get(0);
		}

	}

	/**
	 * An application's operation listener that keeps the trace headers each host's
	 * operations started with, read through the listener API.
	 */
	static final class HeaderRecorder implements OperationListener {

		private final Map<String, String> headers = new ConcurrentHashMap<>();

		@Override
		public @Nullable Object operationStarted(StartedOperation operation) {
			for (String name : List.of("traceparent", "b3")) {
				String value = operation.requestHeader(name);
				if (value != null) {
					this.headers.put(operation.host() + " " + name, value);
				}
			}
			return null;
		}

		@Nullable String of(String host, String header) {
			return this.headers.get(host + " " + header);
		}

	}

}
