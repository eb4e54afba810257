package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.observation.CancellableSoapMetricsAutoConfiguration;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.observation.ObservationCallListener;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a tracer behind the observation registry, a proxy call is a span: its trace id
 * shows in the call's {@link CallInfo} and its trace context goes to the peer on the
 * request; without one, nothing of the kind is shown or sent.
 */
class ProxyTracingIntegrationTests {

	private static final String RESPONSE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<soapenv:Body><echoResponse xmlns=\"urn:test\"/></soapenv:Body></soapenv:Envelope>";

	private static final Duration WAIT = Duration.ofSeconds(5);

	@AutoClose
	private final ScriptedHttpServer server = ScriptedHttpServer
		.start(Behaviour.respondWhenReleased(200, "text/xml; charset=utf-8", RESPONSE));

	@AutoClose("shutdownNow")
	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CancellableSoapAutoConfiguration.class,
				ServiceProxyAutoConfiguration.class, CancellableSoapMetricsAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.proxies.traced.address=" + this.server.uri("/ws"));

	@Test
	void aTracedCallShowsItsTraceIdWhileItWaitsAndSendsItsTraceContextToThePeer() {
		SimpleTracer tracer = new SimpleTracer();
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, new TraceparentPropagator()),
					new DefaultTracingObservationHandler(tracer)));
		this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			ServiceProxy proxy = context.getBean(ServiceProxies.class).find("traced").orElseThrow();
			Observation caller = Observation.start("test.caller", registry);
			PendingCall<String> call;
			try (Observation.Scope scope = caller.openScope()) {
				call = proxy.submit(ProxyTracingIntegrationTests::echo, this.callers);
			}
			CallInfo waiting = awaitWaiting(proxy, call);
			SimpleSpan span = tracer.lastSpan();
			assertThat(span.getKind()).isEqualTo(Span.Kind.CLIENT);
			assertThat(waiting.traceId()).isNotBlank().isEqualTo(span.getTraceId()).isEqualTo(traceIdOf(caller));

			RecordedRequest request = awaitRequest();
			assertThat(request.header("traceparent"))
				.isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
			assertThat(request.header("Soap-Call-Id")).isEqualTo(call.callId());

			this.server.releaseAll();
			assertThat(call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("echoResponse");
			caller.stop();
			assertThat(span.getEndTimestamp()).isNotNull();
			assertThat(span.getName()).isEqualTo("soap call traced echo");
			assertThat(span.getTags()).containsEntry("proxy", "traced")
				.containsEntry("operation.name", "echo")
				.containsEntry("outcome", "COMPLETED")
				.containsEntry("call.id", call.callId());
			// The registry validates each observation's lifecycle: a second stop would
			// have failed the call that made it.
			TestObservationRegistryAssert.assertThat(registry)
				.doesNotHaveAnyRemainingCurrentObservation()
				.hasNumberOfObservationsWithNameEqualTo(ObservationCallListener.NAME, 1)
				.hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationCallListener.NAME)
					.hasLowCardinalityKeyValue("outcome", "COMPLETED")
					.doesNotHaveError());
			await().atMost(WAIT).until(() -> proxy.calls().isEmpty());
		});
	}

	@Test
	void withBootsBraveTracingTheCallSendsAW3cTraceparentOfItsOwnSpan() {
		this.runner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class))
			.withPropertyValues("management.tracing.sampling.probability=1.0")
			.run((context) -> {
				assertThat(context).hasSingleBean(Tracer.class);
				ServiceProxy proxy = context.getBean(ServiceProxies.class).find("traced").orElseThrow();
				PendingCall<String> call = proxy.submit(ProxyTracingIntegrationTests::echo, this.callers);
				String traceId = awaitWaiting(proxy, call).traceId();
				assertThat(traceId).matches("[0-9a-f]{32}");
				assertThat(awaitRequest().header("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01");
				this.server.releaseAll();
				assertThat(call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("echoResponse");
			});
	}

	@Test
	void withoutATracerACallHasNoTraceIdAndSendsNoTraceContext() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			assertThat(context).hasSingleBean(ObservationCallListener.class);
			callsWithoutTraceContext(context);
			TestObservationRegistryAssert.assertThat(registry)
				.doesNotHaveAnyRemainingCurrentObservation()
				.hasSingleObservationThat()
				.hasNameEqualTo(ObservationCallListener.NAME)
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("outcome", "COMPLETED");
		});
	}

	@Test
	void withoutAnObservationRegistryACallHasNoTraceIdAndSendsNoTraceContext() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationCallListener.class);
			callsWithoutTraceContext(context);
		});
	}

	/**
	 * Make a call through the context's proxy and check that it has no trace id while it
	 * waits, sends no trace context and completes.
	 */
	private void callsWithoutTraceContext(AssertableApplicationContext context) throws Exception {
		ServiceProxy proxy = context.getBean(ServiceProxies.class).find("traced").orElseThrow();
		PendingCall<String> call = proxy.submit(ProxyTracingIntegrationTests::echo, this.callers);
		assertThat(awaitWaiting(proxy, call).traceId()).isNull();
		assertNoTraceContextIn(awaitRequest());
		this.server.releaseAll();
		assertThat(call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("echoResponse");
	}

	private static CallInfo awaitWaiting(ServiceProxy proxy, PendingCall<String> call) {
		await().atMost(WAIT)
			.until(() -> proxy.call(call.callId()).map(CallInfo::phase).orElse(null) == CallPhase.WAITING_FOR_RESPONSE);
		return proxy.call(call.callId()).orElseThrow();
	}

	private RecordedRequest awaitRequest() {
		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitRequest(WAIT)).isTrue();
		return connection.lastRequest();
	}

	private static void assertNoTraceContextIn(RecordedRequest request) {
		assertThat(request.header("Soap-Call-Id")).isNotNull();
		assertThat(request.headers().keySet()).noneMatch((name) -> name.equalsIgnoreCase("traceparent")
				|| name.equalsIgnoreCase("b3") || name.toLowerCase(java.util.Locale.ROOT).startsWith("x-b3-"));
	}

	private static String traceIdOf(Observation observation) {
		TracingObservationHandler.TracingContext tracing = observation.getContext()
			.getRequired(TracingObservationHandler.TracingContext.class);
		return tracing.getSpan().context().traceId();
	}

	private static String echo(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<echo xmlns=\"urn:test\"/>"), result);
		return result.toString();
	}

	/**
	 * Writes a W3C {@code traceparent} header; the test needs no extraction.
	 */
	private static final class TraceparentPropagator implements Propagator {

		@Override
		public List<String> fields() {
			return List.of("traceparent");
		}

		@Override
		public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
			setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			throw new UnsupportedOperationException("Only injection is needed");
		}

	}

}
