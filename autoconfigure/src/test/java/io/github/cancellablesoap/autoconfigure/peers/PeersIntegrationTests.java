package io.github.cancellablesoap.autoconfigure.peers;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.RemoteOperationCancelledException;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.testsupport.FreePorts;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.ws.soap.client.core.SoapActionCallback;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application that declares two proxies and a host in {@code application-peers.yml}
 * and nothing else: calls between its own proxy and host carry the call id and the time
 * budget, and each side learns of the other's cancellations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("peers")
class PeersIntegrationTests {

	private static final int PORT = FreePorts.loopback();

	@AutoClose
	private static final ScriptedHttpServer HUNG = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	@AutoClose("shutdownNow")
	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@Autowired
	@Qualifier("loop")
	private ServiceProxy loop;

	@Autowired
	@Qualifier("hung")
	private ServiceProxy hung;

	@Autowired
	@Qualifier("main")
	private ServiceHost main;

	@Autowired
	private ServiceProxies proxies;

	@Autowired
	private SlowEndpoint endpoint;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("test.hung.port", HUNG::port);
	}

	@Test
	void bothProxiesAreConfiguredFromTheYaml() {
		assertThat(this.proxies.all()).extracting(ServiceProxy::name).containsExactly("loop", "hung");
		assertThat(this.loop.address()).hasToString("http://127.0.0.1:" + PORT + "/soap");
	}

	@Test
	void theHostSeesTheCallersIdAndDeadline() throws Exception {
		PendingCall<String> call = this.loop.submit(PeersIntegrationTests::slow, CALLERS);
		OperationInfo operation = awaitOperation(call.callId());
		assertThat(operation.callerCallId()).isEqualTo(call.callId());
		Instant deadline = this.endpoint.deadline(call.callId());
		assertThat(deadline).isBetween(Instant.now(), Instant.now().plus(Duration.ofSeconds(21)));
		this.main.cancel(operation.id(), "test over");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS));
	}

	@Test
	void bothSidesNameTheCallAlikeEvenWhenItCarriesASoapAction() throws Exception {
		PendingCall<String> call = this.loop.submit(PeersIntegrationTests::slowWithAction, CALLERS);
		OperationInfo operation = awaitOperation(call.callId());
		assertThat(this.loop.call(call.callId())).map(CallInfo::operation).contains("slow");
		assertThat(operation.operation()).isEqualTo("slow");
		assertThat(this.main.cancel(operation.id(), "test over")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS));
	}

	@Test
	void anOperatorCancellationReachesTheCallerAsATypedFault() throws Exception {
		PendingCall<String> call = this.loop.submit(PeersIntegrationTests::slow, CALLERS);
		OperationInfo operation = awaitOperation(call.callId());
		assertThat(this.main.cancel(operation.id(), "stuck report")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(RemoteOperationCancelledException.class, (ex) -> {
				assertThat(ex.getReason()).isEqualTo("OPERATOR");
				assertThat(ex.getOperationId()).isEqualTo(operation.id());
				assertThat(ex.getHost()).isEqualTo("main");
			});
		assertThat(this.endpoint.reason(call.callId())).isEqualTo(CancelReason.OPERATOR);
	}

	/**
	 * A proxy sends explicit cancels only to a host that said it understands them, in an
	 * answer; before any answer, the closed socket is how the host learns of an abort.
	 */
	@Test
	void anAbortedCallToAHostNotYetHeardFromIsSeenByTheHostAsItsCallerGoing() throws Exception {
		CancellationTimer timer = new CancellationTimer("fresh");
		DefaultServiceProxy fresh = ServiceProxyFactory.create(
				ProxySettings.builder("fresh", this.loop.address()).callTimeout(Duration.ofSeconds(20)).build(),
				new WebServiceTemplate(), timer);
		try {
			fresh.open();
			PendingCall<String> call = fresh.submit(PeersIntegrationTests::slow, CALLERS);
			awaitOperation(call.callId());
			assertThat(fresh.abortCall(call.callId(), "give up")).isTrue();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(CallAbortedException.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.endpoint.reason(call.callId()) != null);
			assertThat(this.endpoint.reason(call.callId())).isEqualTo(CancelReason.CALLER_GONE);
		}
		finally {
			fresh.close();
			timer.shutdown();
		}
	}

	@Test
	void theHungProxyTimesOutAndAbandonsItsIoUntilTheLimit() {
		assertThatExceptionOfType(CallTimedOutException.class).isThrownBy(() -> slow(this.hung));
		assertThat(this.hung.abandonedCalls()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.hung.pendingCalls() == 0);
		assertThat(HUNG.connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
	}

	private OperationInfo awaitOperation(String callId) {
		AtomicReference<OperationInfo> found = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.main.operations()
				.stream()
				.filter((operation) -> callId.equals(operation.callerCallId()))
				.peek(found::set)
				.findFirst()
				.isPresent() && this.endpoint.running(callId));
		return found.get();
	}

	private static String slow(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<slow xmlns=\"urn:peers\"/>"), result);
		return result.toString();
	}

	private static String slowWithAction(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<slow xmlns=\"urn:peers\"/>"),
				new SoapActionCallback("urn:peers/Slow"), result);
		return result.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(SlowEndpoint.class)
	static class PeersApplication {

	}

	/**
	 * An operation that runs until it is cancelled (at most 30 s), recording what it
	 * learns.
	 */
	@Endpoint
	static class SlowEndpoint {

		private final java.util.Map<String, Instant> deadlines = new java.util.concurrent.ConcurrentHashMap<>();

		private final java.util.Map<String, CancelReason> reasons = new java.util.concurrent.ConcurrentHashMap<>();

		@PayloadRoot(namespace = "urn:peers", localPart = "slow")
		@ResponsePayload
		Element slow(@RequestPayload Element request, OperationContext operation) throws InterruptedException {
			String caller = operation.callerCallId().orElse("none");
			operation.deadline().ifPresent((deadline) -> this.deadlines.put(caller, deadline));
			CountDownLatch cancelled = new CountDownLatch(1);
			operation.onCancel((reason) -> {
				this.reasons.put(caller, reason);
				cancelled.countDown();
			});
			cancelled.await(30, TimeUnit.SECONDS);
			return request;
		}

		boolean running(String callId) {
			return this.deadlines.containsKey(callId);
		}

		Instant deadline(String callId) {
			return this.deadlines.get(callId);
		}

		CancelReason reason(String callId) {
			return this.reasons.get(callId);
		}

	}

}
