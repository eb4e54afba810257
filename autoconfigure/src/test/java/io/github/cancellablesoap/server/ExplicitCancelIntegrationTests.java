package io.github.cancellablesoap.server;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.Tokens;
import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.testsupport.FreePorts;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Explicit cancels between peers of this project on a real Tomcat, whose caller-gone
 * detection is switched off, as behind a reverse proxy that hides the caller's closed
 * socket: whatever ends an operation as CALLER_CANCELLED here is the proxy's cancel.
 * Proxy "toC" calls host "c"; proxy "toB" calls host "b", whose endpoint calls host "c"
 * through "toC" (A → B → C).
 */
@SpringBootTest(classes = ExplicitCancelIntegrationTests.CancelApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.b.path=/hosts/b", "cancellable-soap.hosts.c.path=/hosts/c",
				"cancellable-soap.proxies.toB.address=http://127.0.0.1:${server.port}/hosts/b",
				"cancellable-soap.proxies.toB.call-timeout=30s",
				"cancellable-soap.proxies.toC.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.toC.call-timeout=30s",
				"cancellable-soap.proxies.toCShort.address=http://127.0.0.1:${server.port}/hosts/c",
				"cancellable-soap.proxies.toCShort.call-timeout=1500ms",
				"cancellable-soap.proxies.toC.max-pending-calls=64",
				"management.endpoints.web.exposure.include=soapcalls",
				"logging.level.io.github.cancellablesoap=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class ExplicitCancelIntegrationTests extends AbstractHostCancelIntegrationTests {

	private static final int PORT = FreePorts.loopback();

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@Autowired
	@Qualifier("toB")
	ServiceProxy toB;

	@Autowired
	@Qualifier("toC")
	ServiceProxy toC;

	@Autowired
	@Qualifier("toCShort")
	ServiceProxy toCShort;

	@Autowired
	@Qualifier("b")
	ServiceHost b;

	@AfterAll
	static void stopCallers() {
		CALLERS.shutdownNow();
	}

	@BeforeEach
	void ready() {
		for (ServiceProxy proxy : List.of(this.toB, this.toC, this.toCShort)) {
			if (proxy.state() == ProxyState.FAULTED || proxy.state() == ProxyState.CLOSED) {
				proxy.reset();
			}
			if (proxy.state() == ProxyState.CREATED) {
				proxy.open();
			}
		}
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.b.operations().isEmpty() && this.c.operations().isEmpty());
		// each proxy learns from an answer that its host understands cancels
		call(this.toB, "Quick");
		call(this.toC, "Quick");
		call(this.toCShort, "Quick");
	}

	@Test
	void anAbortedCallIsCancelledOnItsHostAsCallerCancelled() throws Exception {
		Served served = abortedHold(this.toC, CALLERS);
		served.awaitCompleted();
		assertThat(served.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(served.cancels.get()).as("cancel callback runs once").isEqualTo(1);
	}

	@Test
	void aProxyAbortCancelsTheOperationsOfItsCalls() throws Exception {
		PendingCall<String> first = this.toC.submit((operations) -> call(operations, "Hold"), CALLERS);
		PendingCall<String> second = this.toC.submit((operations) -> call(operations, "Hold"), CALLERS);
		Served one = this.recorder.awaitStarted(first.callId());
		Served two = this.recorder.awaitStarted(second.callId());
		assertThat(this.toC.abort("maintenance")).isTrue();
		for (Served served : List.of(one, two)) {
			served.awaitCompleted();
			assertThat(served.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
			assertThat(served.cancels.get()).isEqualTo(1);
		}
	}

	@Test
	void aTimeoutThatAbortsCancelsTheOperation(CapturedOutput output) throws Exception {
		PendingCall<String> call = this.toCShort.submit((operations) -> call(operations, "Hold"), CALLERS);
		Served served = this.recorder.awaitStarted(call.callId());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallTimedOutException.class);
		served.awaitCompleted();
		// the budget the host received runs out at about the same time: either ends it
		assertThat(served.reason).isIn(CancelReason.CALLER_CANCELLED, CancelReason.DEADLINE_EXCEEDED);
		assertThat(served.cancels.get()).isEqualTo(1);
		// whichever ended it, the proxy's cancel did reach the host
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll())
				.contains("Service host 'c': caller's cancel of call " + call.callId() + ": "));
	}

	@Test
	void anAbortAtAReachesCThroughB() throws Exception {
		PendingCall<String> call = this.toB.submit((operations) -> call(operations, "Relay"), CALLERS);
		Served atB = this.recorder.awaitStarted(call.callId());
		Served atC = this.recorder.awaitStarted(atB.downstreamCallId.get(10, TimeUnit.SECONDS));
		assertThat(this.toB.abortCall(call.callId(), "give up")).isTrue();
		atB.awaitCompleted();
		atC.awaitCompleted();
		assertThat(atB.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(atB.downstream.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(CallAbortedException.class,
				(ex) -> assertThat(ex.getReason()).contains("CALLER_CANCELLED"));
		assertThat(atC.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(atB.cancels.get()).isEqualTo(1);
		assertThat(atC.cancels.get()).isEqualTo(1);
	}

	@Test
	void forgedCancelsChangeNothingAndSayWhy(CapturedOutput output) throws Exception {
		String callId = "forged-" + System.nanoTime();
		String token = Tokens.next();
		CompletableFuture<HttpResponse<String>> answer = HostTestSupport.HTTP
			.sendAsync(soapRequest(callId, token, "Hold"), HttpResponse.BodyHandlers.ofString());
		Served served = this.recorder.awaitStarted(callId);
		HttpResponse<String> wrongToken = cancel(callId, Tokens.next());
		assertThat(wrongToken.statusCode()).isEqualTo(403);
		assertThat(wrongToken.body()).contains("wrong token").doesNotContain(token);
		HttpResponse<String> unknown = cancel("no-such-call", token);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("no operation for call no-such-call");
		HttpResponse<String> malformed = cancel("bad id!", token);
		assertThat(malformed.statusCode()).isEqualTo(400);
		HttpResponse<String> longToken = cancel(callId, "t".repeat(WireProtocol.MAX_CALL_TOKEN_LENGTH + 1));
		assertThat(longToken.statusCode()).isEqualTo(400);
		assertThat(longToken.body()).contains("malformed cancel");
		assertThat(this.recorder.listenerSawCallId).containsKey(callId);
		assertThat(this.recorder.listenerSawCallId.get(callId)).as("the token among the listener's headers")
			.isEqualTo("none");
		assertThat(this.c.operations()).singleElement().satisfies((operation) -> {
			assertThat(operation.callerCallId()).isEqualTo(callId);
			assertThat(operation.cancellationRequested()).as("still running").isFalse();
			assertThat(operation.toString()).doesNotContain(token);
		});
		HttpResponse<String> listing = HostTestSupport.HTTP.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/soapcalls/hosts/c")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(listing.statusCode()).isEqualTo(200);
		assertThat(listing.body()).contains(callId).doesNotContain(token);
		assertThat(served.cancels.get()).isZero();

		HttpResponse<String> rightToken = cancel(callId, token);
		assertThat(rightToken.statusCode()).isEqualTo(202);
		assertThat(rightToken.body()).contains("cancelled");
		HttpResponse<String> replay = cancel(callId, token);
		assertThat(replay.statusCode()).isIn(404, 409);
		HostTestSupport.assertCancelledFault(answer.get(10, TimeUnit.SECONDS), CancelReason.CALLER_CANCELLED);
		served.awaitCompleted();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.c.operations().isEmpty());
		HttpResponse<String> late = cancel(callId, token);
		assertThat(late.statusCode()).isEqualTo(404);
		assertThat(late.body()).contains("already ended");
		assertThat(served.cancels.get()).isEqualTo(1);
		assertThat(served.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(output.getAll()).contains("cancel of call " + callId).doesNotContain(token);
	}

	@Test
	void aCancelThatOvertookItsRequestCancelsItOnArrivalOnlyWithItsToken() throws Exception {
		String callId = "early-" + System.nanoTime();
		String token = Tokens.next();
		HttpResponse<String> early = cancel(callId, token);
		assertThat(early.statusCode()).isEqualTo(404);
		assertThat(early.body()).contains("no operation for call " + callId).contains("within 10 s");
		HttpResponse<String> otherToken = HostTestSupport.HTTP.send(soapRequest(callId, Tokens.next(), "Quick"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(otherToken.statusCode()).as("a request with another token is not touched").isEqualTo(200);
		HttpResponse<String> overtaken = HostTestSupport.HTTP.send(soapRequest(callId, token, "Hold"),
				HttpResponse.BodyHandlers.ofString());
		HostTestSupport.assertCancelledFault(overtaken, CancelReason.CALLER_CANCELLED);
		assertThat(overtaken.body()).contains("before its request arrived");
		HttpResponse<String> again = HostTestSupport.HTTP.send(soapRequest(callId, token, "Quick"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(again.statusCode()).as("the kept cancel was used up").isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.c.operations().isEmpty());
	}

	@Test
	void abortsRacingAnswersEndEveryOperationExactlyOnce() throws Exception {
		this.recorder.all.clear();
		int threads = 16;
		int rounds = 20;
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Void>> tasks = new java.util.ArrayList<>();
		ExecutorService racers = Executors.newFixedThreadPool(threads);
		try {
			for (int t = 0; t < threads; t++) {
				tasks.add(CompletableFuture.runAsync(() -> {
					try {
						start.await();
						for (int i = 0; i < rounds; i++) {
							PendingCall<String> call = this.toC.submit((operations) -> call(operations, "Brief"),
									CALLERS);
							LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 8_000_000));
							this.toC.abortCall(call.callId(), "race");
							try {
								call.result().get(10, TimeUnit.SECONDS);
							}
							catch (ExecutionException ex) {
								assertThat(ex.getCause()).isInstanceOf(CallAbortedException.class);
							}
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, racers));
			}
			start.countDown();
			CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		}
		finally {
			racers.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.c.operations().isEmpty());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.toC.pendingCalls() == 0);
		assertThat(this.recorder.all).isNotEmpty();
		LogFactory.getLog(getClass())
			.info("Aborts racing answers: " + this.recorder.all.size() + " operations, "
					+ this.recorder.all.values().stream().filter((served) -> served.cancels.get() == 1).count()
					+ " cancelled by their caller");
		assertThat(this.recorder.all.values()).as("some aborts won their race")
			.anyMatch((served) -> served.cancels.get() == 1);
		for (Served served : this.recorder.all.values()) {
			served.awaitCompleted();
			assertThat(served.completions.get()).as("completion callbacks").isEqualTo(1);
			assertThat(served.cancels.get()).as("cancel callbacks").isLessThanOrEqualTo(1);
			if (served.cancels.get() == 1) {
				assertThat(served.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
			}
		}
	}

	private HttpResponse<String> cancel(String callId, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/hosts/c"))
			.timeout(Duration.ofSeconds(10))
			.header(WireProtocol.CANCEL_CALL_HEADER, callId)
			.header(WireProtocol.CALL_TOKEN_HEADER, token)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return HostTestSupport.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest soapRequest(String callId, String token, String operation) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/hosts/c"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "text/xml; charset=utf-8")
			.header("SOAPAction", "\"\"")
			.header(WireProtocol.CALL_ID_HEADER, callId)
			.header(WireProtocol.CALL_TOKEN_HEADER, token)
			.POST(HttpRequest.BodyPublishers
				.ofString(HostTestSupport.envelope("<t:" + operation + " xmlns:t=\"" + NS + "\"/>")))
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ CancelEndpoints.class, RelayingEndpoint.class })
	static class CancelApplication {

		@Bean
		CallerGoneDetector callerGoneDetector() {
			return CallerGoneDetector.NONE;
		}

	}

	/**
	 * Host b: calls host c's Hold through proxy "toC" and records how that call ended.
	 */
	@Endpoint
	@HostedBy("b")
	static class RelayingEndpoint {

		private final Recorder recorder;

		private final ServiceProxy toC;

		RelayingEndpoint(Recorder recorder, @Qualifier("toC") ServiceProxy toC) {
			this.recorder = recorder;
			this.toC = toC;
		}

		@PayloadRoot(namespace = NS, localPart = "Relay")
		@ResponsePayload
		Element relay(@RequestPayload Element request, OperationContext context) {
			Served served = this.recorder.start(context);
			try {
				PendingCall<String> call = this.toC.submit((operations) -> call(operations, "Hold"), CALLERS);
				served.downstreamCallId.complete(call.callId());
				call.result().get(30, TimeUnit.SECONDS);
				served.downstream.complete(null);
			}
			catch (Exception ex) {
				served.downstream.complete((ex instanceof ExecutionException) ? ex.getCause() : ex);
			}
			return request;
		}

	}

}
