package io.github.cancellablesoap.server;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests served by hosts: binding of endpoints to hosts, operation contexts, the
 * registry, and each cancel reason produced by its situation.
 */
class ServiceHostServingTests extends HostTestSupport {

	@Test
	void servesAnEndpointBoundToTheHostWithTheCallersCallId() throws Exception {
		HttpResponse<String> response = answer(post("main", work("echo"), Map.of("Soap-Call-Id", "c-42")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("WorkResponse").contains("callerCallId=\"c-42\"");
	}

	@Test
	void answersNotFoundForAnEndpointBoundToAnotherHost() throws Exception {
		HttpResponse<String> response = answer(post("other", work("echo")));
		assertThat(response.statusCode()).isEqualTo(404);
		HttpResponse<String> other = answer(
				post("other", envelope("<t:Other xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\"/>")));
		assertThat(other.statusCode()).isEqualTo(200);
		assertThat(other.body()).contains("OtherResponse");
	}

	@Test
	void servesUnboundEndpointsOnlyOnHostsThatServeThem() throws Exception {
		String unbound = envelope("<t:Unbound xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\"/>");
		HttpResponse<String> served = answer(post("other", unbound));
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).as("OperationContext.current() works on the serving thread")
			.containsPattern("operationId=\"o-[0-9a-z]+\"");
		assertThat(answer(post("main", unbound)).statusCode()).isEqualTo(404);
	}

	@Test
	void callerGoneCancelsTheOperation() throws Exception {
		try (Socket socket = sendRaw("main", work("cancel"))) {
			String id = nextStarted();
			socket.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.cancels.containsKey(id));
			assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
		}
	}

	@Test
	void apacheHttpClientAbortingItsRequestIsSeenAsCallerGone() throws Exception {
		try (CloseableHttpClient client = HttpClients.createDefault()) {
			HttpPost post = new HttpPost(uri("main"));
			post.setEntity(new StringEntity(work("cancel"), ContentType.TEXT_XML));
			CompletableFuture<Exception> call = CompletableFuture.supplyAsync(() -> {
				try {
					client.execute(post, (response) -> response.getCode());
					return null;
				}
				catch (Exception ex) {
					return ex;
				}
			});
			String id = nextStarted();
			post.cancel();
			assertThat(call.get(10, TimeUnit.SECONDS)).isNotNull();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.cancels.containsKey(id));
			assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
		}
	}

	@Test
	void callerThatLeavesWhileSendingItsBodyLeavesNoOperationBehind() throws Exception {
		try (Socket socket = sendStalledBody()) {
			assertThat(this.mainHost.operations()).hasSize(1);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operations().isEmpty());
		assertThat(this.probe.started).isEmpty();
	}

	@Test
	void listsRunningOperationsWithTheirCallerAndOperationName() throws Exception {
		var response = post("main", work("gate"), Map.of("Soap-Call-Id", "c-7", "Soap-Call-Timeout", "60000"));
		String id = nextStarted();
		OperationInfo info = this.mainHost.operation(id).orElseThrow();
		assertThat(info.host()).isEqualTo("main");
		assertThat(info.operation()).isEqualTo("Work");
		assertThat(info.callerCallId()).isEqualTo("c-7");
		assertThat(info.callerAddress()).contains(":");
		assertThat(info.deadline()).isNotNull();
		assertThat(info.cancellationRequested()).isFalse();
		assertThat(this.mainHost.operations()).extracting(OperationInfo::id).containsExactly(id);
		this.probe.gate.countDown();
		assertThat(answer(response).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().isEmpty());
		assertThat(this.probe.completed).contains(id);
	}

	@Test
	void deadlineFromTheCallersBudgetCancelsTheOperation() throws Exception {
		HttpResponse<String> response = answer(post("main", work("cancel"), Map.of("Soap-Call-Timeout", "150")));
		assertCancelledFault(response, CancelReason.DEADLINE_EXCEEDED);
		String id = nextStarted();
		assertThat(this.probe.cancels).containsEntry(id, CancelReason.DEADLINE_EXCEEDED);
	}

	@Test
	void operatorCancelsOneOperationById() throws Exception {
		var response = post("main", work("cancel"));
		String id = nextStarted();
		assertThat(this.mainHost.cancel(id, "stuck")).isTrue();
		assertThat(this.mainHost.cancel(id, "again")).isFalse();
		HttpResponse<String> answered = answer(response);
		assertCancelledFault(answered, CancelReason.OPERATOR);
		assertThat(answered.body()).contains("operationId=\"" + id + "\"").contains("(stuck)");
		assertThat(this.probe.cancels).containsEntry(id, CancelReason.OPERATOR);
		assertThat(this.mainHost.cancel("o-unknown", null)).isFalse();
	}

	@Test
	void hostAbortCancelsEveryRunningOperationAndRefusesNewRequests() throws Exception {
		var first = post("main", work("cancel"));
		var second = post("main", work("cancel"));
		String one = nextStarted();
		String two = nextStarted();
		assertThat(this.mainHost.abort("test")).isTrue();
		assertThat(this.mainHost.state()).isEqualTo(HostState.FAULTED);
		assertThat(this.mainHost.listenerState()).isEqualTo(ListenerState.FAULTED);
		assertThat(this.probe.cancels).containsEntry(one, CancelReason.HOST_ABORTED)
			.containsEntry(two, CancelReason.HOST_ABORTED);
		assertCancelledFault(answer(first), CancelReason.HOST_ABORTED);
		assertCancelledFault(answer(second), CancelReason.HOST_ABORTED);
		assertRejected(answer(post("main", work("echo"))), "main", HostState.FAULTED, ListenerState.FAULTED);
		assertThat(this.mainHost.abort("again")).isFalse();
		assertThat(
				answer(post("other", envelope("<t:Other xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\"/>"))).statusCode())
			.as("other hosts are not affected")
			.isEqualTo(200);
	}

	@Test
	void hostAbortInterruptsOperationsThatOutliveTheAbortGrace() throws Exception {
		var response = post("main", work("stubborn"));
		String id = nextStarted();
		long start = System.nanoTime();
		assertThat(this.mainHost.abort("test")).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HostTestApplication.ABORT_GRACE);
		assertCancelledFault(answer(response), CancelReason.HOST_ABORTED);
		assertThat(this.probe.interrupted).containsExactly(id);
		this.mainHost.reset();
		this.mainHost.open();
		for (int i = 0; i < 20; i++) {
			assertThat(answer(post("main", work("echo"))).statusCode()).as("worker threads are clean").isEqualTo(200);
		}
	}

	@Test
	void closeLetsRunningOperationsFinishAndRefusesNewRequests() throws Exception {
		var running = post("main", work("gate"));
		nextStarted();
		Thread closer = new Thread(this.mainHost::close);
		closer.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.state() == HostState.CLOSING);
		assertRejected(answer(post("main", work("echo"))), "main", HostState.CLOSING, ListenerState.CLOSED);
		this.probe.gate.countDown();
		assertThat(answer(running).statusCode()).isEqualTo(200);
		closer.join(5000);
		assertThat(this.mainHost.state()).isEqualTo(HostState.CLOSED);
		assertThat(this.probe.cancels).isEmpty();
	}

	@Test
	void closeCancelsOperationsThatOutliveTheCloseTimeout() throws Exception {
		var running = post("main", work("cancel"));
		String id = nextStarted();
		long start = System.nanoTime();
		this.mainHost.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isGreaterThanOrEqualTo(HostTestApplication.CLOSE_TIMEOUT);
		assertThat(this.mainHost.state()).isEqualTo(HostState.CLOSED);
		assertThat(this.probe.cancels).containsEntry(id, CancelReason.HOST_CLOSE_TIMED_OUT);
		assertCancelledFault(answer(running), CancelReason.HOST_CLOSE_TIMED_OUT);
		assertRejected(answer(post("main", work("echo"))), "main", HostState.CLOSED, ListenerState.CLOSED);
	}

	@Test
	void listenerAbortRefusesNewRequestsWhileRunningOperationsGoOn() throws Exception {
		var running = post("main", work("gate"));
		String id = nextStarted();
		assertThat(this.mainHost.abortListener("test")).isTrue();
		assertThat(this.mainHost.abortListener("again")).isFalse();
		assertRejected(answer(post("main", work("echo"))), "main", HostState.OPEN, ListenerState.FAULTED);
		this.probe.gate.countDown();
		assertThat(answer(running).statusCode()).isEqualTo(200);
		assertThat(this.probe.cancels).doesNotContainKey(id);
		this.mainHost.resetListener();
		assertThat(answer(post("main", work("echo"))).statusCode()).isEqualTo(200);
	}

	@Test
	void requestsBeyondTheConcurrencyLimitAreRefusedAtOnce() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
		for (int i = 0; i < HostTestApplication.MAX_CONCURRENT; i++) {
			running.add(post("main", work("gate")));
		}
		for (int i = 0; i < HostTestApplication.MAX_CONCURRENT; i++) {
			nextStarted();
		}
		HttpResponse<String> refused = answer(post("main", work("echo")));
		assertRejected(refused, "main", HostState.OPEN, ListenerState.OPEN);
		assertThat(refused.body()).contains("maximum of " + HostTestApplication.MAX_CONCURRENT);
		this.probe.gate.countDown();
		for (CompletableFuture<HttpResponse<String>> response : running) {
			assertThat(answer(response).statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().isEmpty());
		assertThat(answer(post("main", work("echo"))).statusCode()).isEqualTo(200);
	}

	@Test
	void refusesRequestsOtherThanPost() throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("main")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(405);
	}

	@Test
	void aHostWithoutAWsdlDefinitionAnswersItsWsdlRequestWith404AndWhy() throws Exception {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create(uri("main") + "?wsdl")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body())
			.isEqualTo("Service host 'main' publishes no WSDL: the application has no Wsdl11Definition bean\n");
	}

	@Test
	void aSoap12RequestIsAnsweredInSoap12() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("main"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/soap+xml; charset=utf-8; action=\"urn:work\"")
			.POST(HttpRequest.BodyPublishers.ofString(
					"<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><t:Work xmlns:t=\""
							+ WorkEndpoint.NAMESPACE + "\" mode=\"echo\"/></env:Body></env:Envelope>"))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/soap+xml"));
		assertThat(response.body()).contains("http://www.w3.org/2003/05/soap-envelope");
	}

}
