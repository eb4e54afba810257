package io.github.cancellablesoap.autoconfigure.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.MeterOperationListener;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.github.cancellablesoap.server.OperationContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A host configured only through properties, on a real Tomcat, records each request once
 * in the {@code soap.server.operations} timer, its aborts and cancels in
 * {@code soap.aborts}, and each admitted operation as one {@code soap.server.operation}
 * observation: one completed request, one answered with a fault, one cancelled by the
 * application, one refused after the listener was aborted.
 */
@SpringBootTest(classes = ServiceHostMetricsIntegrationTests.MeteredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class ServiceHostMetricsIntegrationTests extends MainHostTests {

	private static final String NAMESPACE = "urn:work";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	MeterRegistry meters;

	@Autowired
	TestObservationRegistry observations;

	@Autowired
	WorkEndpoint endpoint;

	@Autowired
	EventLog events;

	@Test
	void everyRequestIsTimedOnceByOutcomeAndEveryAdmittedOneObservedOnce() throws Exception {
		HttpResponse<String> completed = post("echo").get(20, TimeUnit.SECONDS);
		assertThat(completed.statusCode()).isEqualTo(200);

		HttpResponse<String> fault = post("fault").get(20, TimeUnit.SECONDS);
		assertThat(fault.statusCode()).isEqualTo(500);
		assertThat(fault.body()).contains("Fault").contains("no such work");

		CompletableFuture<HttpResponse<String>> waiting = post("wait");
		String operationId = this.endpoint.started.poll(10, TimeUnit.SECONDS);
		assertThat(operationId).as("the waiting operation started").isNotNull();
		assertThat(this.host.cancel(operationId, "integration test")).isTrue();
		HttpResponse<String> cancelled = waiting.get(20, TimeUnit.SECONDS);
		assertThat(cancelled.statusCode()).isEqualTo(500);
		assertThat(cancelled.body()).contains("<cs:cancelled").contains("reason=\"OPERATOR\"");

		assertThat(this.host.abortListener("integration test")).isTrue();
		HttpResponse<String> refused = post("echo").get(20, TimeUnit.SECONDS);
		assertThat(refused.statusCode()).isEqualTo(503);
		this.host.resetListener();

		// an operation ends just after its response was sent, and the listeners hear of
		// it one after the other: wait until every one of them has
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(
					this.meters.get(MeterOperationListener.OPERATIONS).timers().stream().mapToLong(Timer::count).sum())
				.isEqualTo(4);
			TestObservationRegistryAssert.assertThat(this.observations)
				.forAllObservationsWithNameEqualTo(ObservationOperationListener.NAME,
						(observation) -> observation.hasLowCardinalityKeyValueWithKey("outcome"));
		});
		assertThat(timer("Work", "COMPLETED", "none").count()).isEqualTo(1);
		assertThat(timer("Work", "FAULT", "none").count()).isEqualTo(1);
		assertThat(timer("Work", "CANCELLED", "OPERATOR").count()).isEqualTo(1);
		Timer rejected = timer("none", "REJECTED", "none");
		assertThat(rejected.count()).isEqualTo(1);
		assertThat(rejected.totalTime(TimeUnit.NANOSECONDS)).isZero();
		assertThat(aborts("operation", "operator", "application")).isEqualTo(1);
		assertThat(aborts("listener", "requested", "application")).isEqualTo(1);
		assertThat(this.meters.get(MeterCallListener.ABORTS).counters()).hasSize(2);
		assertThat(this.meters.get("soap.server.operations.active").tag("host", "main").gauge().value()).isZero();

		assertThat(this.events.names).containsExactly(ObservationOperationListener.CANCELLED_EVENT);
		// TestObservationRegistry validates each observation's lifecycle: a second stop
		// would have thrown on the thread that made it
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, 3)
			.forAllObservationsWithNameEqualTo(ObservationOperationListener.NAME,
					(observation) -> observation.hasLowCardinalityKeyValue("host", "main")
						.hasLowCardinalityKeyValue("operation.name", "Work")
						.hasLowCardinalityKeyValueWithKey("outcome")
						.hasLowCardinalityKeyValueWithKey("cancel.reason")
						.hasHighCardinalityKeyValueWithKey("operation.id"))
			.hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationOperationListener.NAME)
				.hasLowCardinalityKeyValue("outcome", "CANCELLED")
				.hasLowCardinalityKeyValue("cancel.reason", "OPERATOR")
				.hasHighCardinalityKeyValue("operation.id", operationId)
				.hasHighCardinalityKeyValue("call.id", "c-wait")
				.doesNotHaveError())
			.hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationOperationListener.NAME)
				.hasLowCardinalityKeyValue("outcome", "FAULT")
				.hasError())
			.hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationOperationListener.NAME)
				.hasLowCardinalityKeyValue("outcome", "COMPLETED")
				.hasLowCardinalityKeyValue("cancel.reason", "none")
				.doesNotHaveError());
	}

	private Timer timer(String operation, String outcome, String cancelReason) {
		return this.meters.get(MeterOperationListener.OPERATIONS)
			.tags("host", "main", "operation", operation, "outcome", outcome, "cancel.reason", cancelReason)
			.timer();
	}

	private double aborts(String target, String reason, String initiator) {
		return this.meters.get(MeterCallListener.ABORTS)
			.tags("target", target, "reason", reason, "initiator", initiator)
			.counter()
			.count();
	}

	private CompletableFuture<HttpResponse<String>> post(String mode) {
		String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<soapenv:Body><w:Work xmlns:w=\"" + NAMESPACE + "\" mode=\"" + mode
				+ "\"/></soapenv:Body></soapenv:Envelope>";
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/soap"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "text/xml; charset=utf-8")
			// a SOAP action the caller chose freely must not become a tag value
			.header("SOAPAction", "\"urn:any/" + mode + "-" + System.nanoTime() + "\"")
			.header("Soap-Call-Id", "c-" + mode)
			.POST(HttpRequest.BodyPublishers.ofString(envelope))
			.build();
		return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ WorkEndpoint.class, EventLog.class })
	static class MeteredApplication {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry observationRegistry(EventLog events) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onEvent(Observation.Event event, Observation.Context context) {
					events.names.add(event.getName());
				}

			});
			return registry;
		}

	}

	/**
	 * The names of the events signalled on observations.
	 */
	static class EventLog {

		final Queue<String> names = new ConcurrentLinkedQueue<>();

	}

	/**
	 * Answers at once ({@code echo}), throws ({@code fault}, which Spring WS turns into a
	 * SOAP fault) or waits, bounded, for its cancellation ({@code wait}).
	 */
	@Endpoint
	static class WorkEndpoint {

		final BlockingQueue<String> started = new LinkedBlockingQueue<>();

		@PayloadRoot(namespace = NAMESPACE, localPart = "Work")
		@ResponsePayload
		Element work(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			String mode = request.getAttribute("mode");
			if ("fault".equals(mode)) {
				throw new IllegalArgumentException("no such work");
			}
			if ("wait".equals(mode)) {
				CountDownLatch cancelled = new CountDownLatch(1);
				context.onCancel((reason) -> cancelled.countDown());
				this.started.add(context.operationId());
				cancelled.await(10, TimeUnit.SECONDS);
			}
			Element response = request.getOwnerDocument().createElementNS(NAMESPACE, "w:WorkResponse");
			response.setAttribute("operationId", context.operationId());
			return response;
		}

	}

}
