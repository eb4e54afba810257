package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application configured only through properties gets working proxies whose every
 * outcome is counted once in the meters and observed once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
		"cancellable-soap.proxies.slow.call-timeout=400ms", "cancellable-soap.proxies.slow.timeout-action=abort" })
class ProxyMeterIntegrationTests {

	private static final String RESPONSE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<soapenv:Body><echoResponse xmlns=\"urn:test\"/></soapenv:Body></soapenv:Envelope>";

	@AutoClose
	private static final ScriptedHttpServer FAST = ScriptedHttpServer
		.start(Behaviour.respond(200, "text/xml; charset=utf-8", RESPONSE));

	@AutoClose
	private static final ScriptedHttpServer SLOW = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	@AutoClose("shutdownNow")
	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@Autowired
	@Qualifier("fast")
	private ServiceProxy fast;

	@Autowired
	@Qualifier("slow")
	private ServiceProxy slow;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private TestObservationRegistry observations;

	@DynamicPropertySource
	static void addresses(DynamicPropertyRegistry registry) {
		registry.add("cancellable-soap.proxies.fast.address", () -> FAST.uri("/ws").toString());
		registry.add("cancellable-soap.proxies.slow.address", () -> SLOW.uri("/ws").toString());
	}

	@Test
	void everyOutcomeIsCountedOnceAndObservedOnce() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(echo(this.fast)).contains("echoResponse");
		}
		PendingCall<String> abandoned = waitingCall();
		assertThat(this.slow.abandon(abandoned.callId())).isTrue();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> abandoned.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
		PendingCall<String> aborted = waitingCall();
		assertThat(this.slow.abortCall(aborted.callId(), "test")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> aborted.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		assertThatExceptionOfType(CallTimedOutException.class).isThrownBy(() -> echo(this.slow));

		assertThat(count("fast", "COMPLETED")).isEqualTo(3);
		assertThat(count("slow", "ABANDONED")).isEqualTo(1);
		assertThat(count("slow", "ABORTED")).isEqualTo(1);
		assertThat(count("slow", "TIMED_OUT")).isEqualTo(1);
		assertThat(this.meters.get("soap.client.calls").timers()).hasSize(4);
		assertThat(this.meters.get("soap.aborts").tag("reason", "requested").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("soap.aborts").tag("reason", "call-timeout").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("soap.client.calls.abandoned.active").tag("proxy", "slow").gauge().value())
			.isEqualTo(1);

		// TestObservationRegistry validates each observation's lifecycle: a second stop
		// would
		// have thrown in the call that made it.
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo("soap.client.call", 6)
			.forAllObservationsWithNameEqualTo("soap.client.call",
					(observation) -> observation.hasLowCardinalityKeyValueWithKey("outcome"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "ABANDONED")
				.hasLowCardinalityKeyValue("proxy", "slow")
				.doesNotHaveError());

		this.slow.abortCall(abandoned.callId(), "clean up");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.slow.pendingCalls() == 0);
	}

	private double count(String proxy, String outcome) {
		return this.meters.get("soap.client.calls").tag("proxy", proxy).tag("outcome", outcome).timer().count();
	}

	private PendingCall<String> waitingCall() {
		PendingCall<String> call = this.slow.submit(ProxyMeterIntegrationTests::echo, CALLERS);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.slow.call(call.callId())
				.map(CallInfo::phase)
				.orElse(null) == CallPhase.WAITING_FOR_RESPONSE);
		return call;
	}

	private static String echo(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<echo xmlns=\"urn:test\"/>"), result);
		return result.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
