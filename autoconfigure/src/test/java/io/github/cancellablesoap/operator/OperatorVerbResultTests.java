package io.github.cancellablesoap.operator;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Operator answers and abort events say what the verb did, decided while it acted: the
 * state it left and whether it really cancelled I/O, whatever the calls do a moment
 * later. Real proxies against a real loopback server.
 */
class OperatorVerbResultTests {

	private static final String REQUEST = "<echo xmlns=\"urn:test\">hello</echo>";

	private static final String RESPONSE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<soapenv:Body><echoResponse xmlns=\"urn:test\">hello</echoResponse></soapenv:Body></soapenv:Envelope>";

	@AutoClose("shutdown")
	private final CancellationTimer timer = new CancellationTimer("test");

	@AutoClose
	private final ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	@AutoClose("shutdownNow")
	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Queue<CallListener.AbortEvent> aborts = new ConcurrentLinkedQueue<>();

	private final CallListener abortRecorder = new CallListener() {

		@Override
		public void aborted(AbortEvent event) {
			OperatorVerbResultTests.this.aborts.add(event);
		}

	};

	private volatile boolean waiting;

	private final DefaultServiceProxy proxy = ServiceProxyFactory
		.create(ProxySettings.builder("remote", this.server.uri("/ws")).build(), new WebServiceTemplate(), this.timer);

	private final OperatorService operator = new OperatorService(() -> List.of(this.proxy), List::of,
			OperatorAuthorizer.PERMIT_ALL, List.of());

	@AfterEach
	void releaseAndCloseTheProxy() {
		this.release.countDown();
		this.proxy.abort("test ended");
		this.proxy.close();
	}

	@Test
	void abortingAPendingCallAlwaysAnswersAborted() throws Exception {
		this.proxy.open();
		for (int i = 0; i < 20; i++) {
			PendingCall<String> call = this.proxy.submit(OperatorVerbResultTests::echo, this.callers);
			awaitPhase(call, CallPhase.WAITING_FOR_RESPONSE);
			ActionResult result = result(this.operator.remove("calls", call.callId(), "abort", "stuck"));
			assertThat(result.previousState()).isEqualTo("PENDING");
			assertThat(result.newState()).isEqualTo("ABORTED");
			assertThat(result.ioCancelled()).isTrue();
			assertThat(result.changed()).isTrue();
		}
	}

	@Test
	void abortingAnAbandonedCallReportsItsOutcomeAndTheCancelledIo() throws Exception {
		this.proxy.open();
		PendingCall<String> call = this.proxy.submit(OperatorVerbResultTests::echo, this.callers);
		awaitPhase(call, CallPhase.WAITING_FOR_RESPONSE);
		ActionResult abandoned = result(this.operator.remove("calls", call.callId(), "abandon", null));
		assertThat(abandoned.newState()).isEqualTo("ABANDONED");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);

		ActionResult aborted = result(this.operator.remove("calls", call.callId(), "abort", "free the socket"));
		assertThat(aborted.previousState()).isEqualTo("ABANDONED");
		assertThat(aborted.newState()).isEqualTo("ABANDONED");
		assertThat(aborted.ioCancelled()).isTrue();
		assertThat(aborted.changed()).isTrue();
		assertThat(this.server.connections().get(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aProxyAbortReportsIoCancelledOnlyWhenItCancelledIo() throws Exception {
		this.server.setBehaviour(Behaviour.respond(200, "text/xml; charset=utf-8", RESPONSE));
		this.proxy.setCallListener(this.abortRecorder);
		this.proxy.open();
		PendingCall<String> processing = this.proxy.submit(
				(operations) -> operations.sendSourceAndReceive(new StringSource(REQUEST), (source) -> awaitRelease()),
				this.callers);
		awaitPhase(processing, CallPhase.PROCESSING);

		ActionResult result = result(this.operator.act("proxies", "remote", "abort", "maintenance"));

		assertThat(result.previousState()).isEqualTo("OPEN");
		assertThat(result.newState()).isEqualTo("FAULTED");
		assertThat(result.ioCancelled()).as("the call's exchange had already ended").isFalse();
		assertThat(this.aborts).singleElement().satisfies((event) -> assertThat(event.cancelledIo()).isFalse());
	}

	@Test
	void abortingAProxyWhoseCallerIsStillMarshallingCancelsNoIo() throws Exception {
		this.proxy.setCallListener(this.abortRecorder);
		this.proxy.open();
		PendingCall<String> preparing = this.proxy.submit((operations) -> {
			StringResult result = new StringResult();
			operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), (message) -> awaitRelease(), result);
			return result.toString();
		}, this.callers);
		awaitPhase(preparing, CallPhase.PREPARING);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.waiting);

		ActionResult result = result(this.operator.act("proxies", "remote", "abort", null));

		assertThat(result.affected()).isOne();
		assertThat(result.ioCancelled()).isFalse();
		assertThat(this.aborts).singleElement().satisfies((event) -> assertThat(event.cancelledIo()).isFalse());
		this.release.countDown();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> preparing.result().get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(io.github.cancellablesoap.client.CallAbortedException.class);
		assertThat(this.server.requestCount()).isZero();
	}

	private String awaitRelease() {
		this.waiting = true;
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return "released";
	}

	private void awaitPhase(PendingCall<String> call, CallPhase phase) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.proxy.call(call.callId()).map((info) -> info.phase() == phase).orElse(false));
	}

	private static ActionResult result(OperatorAnswer answer) {
		assertThat(answer.isOk()).as(answer.toString()).isTrue();
		return (ActionResult) answer.body();
	}

	private static String echo(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), result);
		return result.toString();
	}

}
