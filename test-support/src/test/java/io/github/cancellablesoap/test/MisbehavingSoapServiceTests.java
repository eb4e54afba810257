package io.github.cancellablesoap.test;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.github.cancellablesoap.test.http.RawHttpClient;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static io.github.cancellablesoap.test.SoapCalls.WAIT;
import static io.github.cancellablesoap.test.SoapCalls.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LocalMisbehavingSoapService}: each behaviour as a real client sees it
 * and as the service records it.
 */
class MisbehavingSoapServiceTests {

	@AutoClose
	private final LocalMisbehavingSoapService service = MisbehavingSoapService.start();

	@AutoClose
	private final CloseableHttpClient apache = HttpClients.createDefault();

	@Test
	void echoAnswersTheRequestEnvelopeAndRecordsMethodPathEveryHeaderAndTheBody() throws IOException {
		Instant before = Instant.now();
		HttpResponse<String> response = post(this.service.uri("/ws/orders?x=1"), SoapVersion.SOAP_11, "Soap-Call-Id",
				"c-42", "SOAPAction", "\"urn:order\"");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
		assertThat(response.body()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_11));
		SoapRequest request = this.service.awaitRequest(0, WAIT);
		assertThat(request.index()).isZero();
		assertThat(request.connection()).isZero();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/ws/orders");
		assertThat(request.callId()).hasValue("c-42");
		assertThat(request.header("soap-call-id")).hasValue("c-42");
		assertThat(request.soapAction()).hasValue("urn:order");
		assertThat(request.soapVersion()).isEqualTo(SoapVersion.SOAP_11);
		assertThat(request.bodyText()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_11));
		assertThat(request.body()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_11).getBytes(StandardCharsets.UTF_8));
		assertThat(request.receivedAt()).isAfterOrEqualTo(before);
		assertThat(this.service.requests()).containsExactly(request);
		assertThat(this.service.connections()).singleElement().satisfies((connection) -> {
			assertThat(connection.clientAddress()).isEqualTo("127.0.0.1");
			assertThat(connection.requests()).isOne();
		});
	}

	@Test
	void anAnswerIsWrappedInAnEnvelopeOfTheRequestsVersion() throws IOException {
		this.service.enqueue(SoapBehaviour.answer("<m:ok xmlns:m=\"urn:test\"/>"));

		HttpResponse<String> response = post(this.service.uri("/ws"), SoapVersion.SOAP_12);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/soap+xml; charset=utf-8");
		assertThat(response.body()).contains("xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"")
			.contains("<env:Body><m:ok xmlns:m=\"urn:test\"/></env:Body>");
		assertThat(this.service.awaitRequest(0, WAIT).soapVersion()).isEqualTo(SoapVersion.SOAP_12);
	}

	@Test
	void faultsAreSoap11And12FaultsWithStatus500() throws IOException {
		this.service.enqueue(SoapBehaviour.fault("a < b"), SoapBehaviour.senderFault("bad order"));

		HttpResponse<String> soap11 = post(this.service.uri("/ws"), SoapVersion.SOAP_11);
		HttpResponse<String> soap12 = post(this.service.uri("/ws"), SoapVersion.SOAP_12);

		assertThat(soap11.statusCode()).isEqualTo(500);
		assertThat(soap11.body()).contains("http://schemas.xmlsoap.org/soap/envelope/")
			.contains("<faultcode>env:Server</faultcode><faultstring>a &lt; b</faultstring>");
		assertThat(soap12.statusCode()).isEqualTo(500);
		assertThat(soap12.headers().firstValue("Content-Type")).hasValue("application/soap+xml; charset=utf-8");
		assertThat(soap12.body()).contains("<env:Value>env:Sender</env:Value>")
			.contains("<env:Text xml:lang=\"en\">bad order</env:Text>");
	}

	@Test
	void anAnswerCanCarryAnotherStatusHeadersAndAFixedVersion() throws IOException {
		this.service.enqueue(SoapBehaviour.echo()
			.withStatus(202)
			.withHeader("Soap-Cancel", "supported")
			.inVersion(SoapVersion.SOAP_12));

		HttpResponse<String> response = post(this.service.uri("/ws"), SoapVersion.SOAP_11);

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("Soap-Cancel")).hasValue("supported");
		assertThat(response.headers().firstValue("Content-Type")).hasValue(SoapVersion.SOAP_12.contentType());
	}

	@Test
	void aDelayHoldsTheHeadersBack() throws IOException {
		this.service.enqueue(SoapBehaviour.answer("<late/>").afterDelay(Duration.ofMillis(300)));

		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			long start = System.nanoTime();
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11),
					"Content-Type: " + SoapVersion.SOAP_11.contentType());
			RawHttpClient.Response head = client.readHead();

			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the head, not only the body, comes late")
				.isGreaterThanOrEqualTo(Duration.ofMillis(300));
			assertThat(head.status()).isEqualTo(200);
			String body = new String(client.readExactly(Integer.parseInt(head.headers().get("content-length"))),
					StandardCharsets.UTF_8);
			assertThat(body).contains("<late/>");
		}
	}

	@Test
	void aRandomDelayIsAtLeastItsShortest() throws IOException {
		this.service.enqueue(SoapBehaviour.echo().afterRandomDelay(Duration.ofMillis(150), Duration.ofMillis(250)));

		long start = System.nanoTime();
		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).statusCode()).isEqualTo(200);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
	}

	@Test
	void aClientThatGivesUpDuringADelayIsRecordedAtOnce() {
		this.service.enqueue(SoapBehaviour.echo().afterDelay(Duration.ofMinutes(1)));
		HttpPost post = apachePost();
		CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> execute(post));
		SoapRequest request = this.service.awaitRequest(0, WAIT);

		Instant beforeAbort = Instant.now();
		post.cancel();

		SoapConnection closed = this.service.awaitClosedByClient(request, WAIT);
		assertThat(closed.closedByClient()).isTrue();
		assertThat(closed.closedAt()).isAfterOrEqualTo(beforeAbort);
		await().atMost(WAIT).until(call::isDone);
		assertThat(call).isCompletedExceptionally();
	}

	@Test
	void aHangIsEndedOnlyByTheClientAndItsCloseIsRecordedWithItsTime() {
		this.service.enqueue(SoapBehaviour.hang());
		HttpPost post = apachePost();
		CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> execute(post));
		SoapRequest request = this.service.awaitRequest(0, WAIT);
		assertThat(this.service.awaitConnection(0, WAIT).state()).isEqualTo(SoapConnection.State.OPEN);
		assertThat(call).isNotDone();

		Instant beforeAbort = Instant.now();
		post.cancel();

		SoapConnection closed = this.service.awaitClosedByClient(request, WAIT);
		assertThat(closed.state()).isIn(SoapConnection.State.CLIENT_CLOSED, SoapConnection.State.CLIENT_RESET);
		assertThat(closed.closedAt()).isAfterOrEqualTo(beforeAbort);
		assertThat(closed.requests()).isOne();
		await().atMost(WAIT).until(call::isDone);
	}

	@Test
	void awaitClosedByClientFailsWithWhatTheServiceSees() {
		this.service.enqueue(SoapBehaviour.hang());
		HttpPost post = apachePost();
		CompletableFuture.supplyAsync(() -> execute(post));
		this.service.awaitRequest(0, WAIT);

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.service.awaitClosedByClient(0, Duration.ofMillis(100)))
			.withMessageContaining("did not close connection #0")
			.withMessageContaining("OPEN");
		post.cancel();
	}

	@Test
	void aStalledAnswerSendsItsHeadAndPartOfItsBodyThenWaitsForTheClient() throws IOException {
		this.service.enqueue(SoapBehaviour.echo().stallAfter(10));
		String envelope = SoapCalls.envelope(SoapVersion.SOAP_11);
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", envelope, "Content-Type: text/xml; charset=utf-8");

			RawHttpClient.Response head = client.readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.headers()).containsEntry("content-length",
					String.valueOf(envelope.getBytes(StandardCharsets.UTF_8).length));
			assertThat(new String(client.readExactly(10), StandardCharsets.UTF_8)).isEqualTo(envelope.substring(0, 10));
			client.setReadTimeout(200);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(client::read);

			client.reset();
		}
		SoapConnection closed = this.service.awaitClosedByClient(0, WAIT);
		assertThat(closed.state()).isEqualTo(SoapConnection.State.CLIENT_RESET);
		assertThat(closed.closeError()).isNotBlank();
	}

	@Test
	void aDribbledAnswerArrivesWholeAFewBytesAtATime() throws IOException {
		String content = "<m:slow xmlns:m=\"urn:test\"/>";
		this.service.enqueue(SoapBehaviour.answer(content).dribble(16, Duration.ofMillis(30)));
		int pieces = (SoapVersion.SOAP_11.envelope(content).length() + 15) / 16;

		long start = System.nanoTime();
		HttpResponse<String> response = post(this.service.uri("/ws"), SoapVersion.SOAP_11);

		assertThat(response.body()).isEqualTo(SoapVersion.SOAP_11.envelope(content));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30L * pieces));
	}

	@Test
	void aDribbleThatStallsSendsItsPiecesUpToTheStall() throws IOException {
		this.service.enqueue(SoapBehaviour.echo().dribble(4, Duration.ofMillis(10)).stallAfter(12));
		String envelope = SoapCalls.envelope(SoapVersion.SOAP_11);
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", envelope);
			client.readHead();
			assertThat(new String(client.readExactly(12), StandardCharsets.UTF_8)).isEqualTo(envelope.substring(0, 12));
			client.setReadTimeout(200);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(client::read);
		}
		assertThat(this.service.awaitClosedByClient(0, WAIT).state()).isEqualTo(SoapConnection.State.CLIENT_CLOSED);
	}

	@Test
	void aResetResetsTheConnectionWithoutAnswering() throws IOException {
		this.service.enqueue(SoapBehaviour.reset());
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));

			assertThatExceptionOfType(SocketException.class).isThrownBy(client::read).withMessageContaining("reset");
		}
		this.service.awaitNoOpenConnection(WAIT);
		assertThat(this.service.connections()).singleElement()
			.satisfies((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED));
	}

	@Test
	void closeWithoutAnswerEndsTheConnectionWhereTheClientExpectsAStatusLine() throws IOException {
		this.service.enqueue(SoapBehaviour.closeWithoutAnswer(), SoapBehaviour.closeWithoutAnswer());
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));

			assertThat(client.read()).isEqualTo(-1);
		}
		assertThatIOException().isThrownBy(() -> post(this.service.uri("/ws"), SoapVersion.SOAP_11));
		this.service.awaitNoOpenConnection(WAIT);
		assertThat(this.service.connections()).hasSize(2)
			.allSatisfy((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED));
	}

	@Test
	void garbageThenCloseSendsBytesThatAreNoStatusLineThenCloses() throws IOException {
		this.service.enqueue(SoapBehaviour.garbageThenClose());
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));

			byte[] garbage = client.readExactly(1024);
			assertThat(garbage[0]).isEqualTo((byte) 0xFF);
			assertThat(client.read()).isEqualTo(-1);
		}
		assertThatIOException().isThrownBy(() -> postThroughApache(SoapBehaviour.garbageThenClose()));
		this.service.awaitNoOpenConnection(WAIT);
		assertThat(this.service.connections()).hasSize(2)
			.allSatisfy((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED));
	}

	@Test
	void malformedChunkThenCloseStartsAChunkedAnswerThenBreaksIt() throws IOException {
		this.service.enqueue(SoapBehaviour.malformedChunkThenClose().inVersion(SoapVersion.SOAP_12));
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));

			RawHttpClient.Response head = client.readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.headers()).containsEntry("transfer-encoding", "chunked");
			assertThat(head.headers().get("content-type")).startsWith("application/soap+xml");
		}
		assertThatIOException().isThrownBy(() -> postThroughApache(SoapBehaviour.malformedChunkThenClose()))
			.withMessageContaining("chunk");
		this.service.awaitNoOpenConnection(WAIT);
		assertThat(this.service.connections()).hasSize(2)
			.allSatisfy((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED));
	}

	private String postThroughApache(SoapBehaviour behaviour) throws IOException {
		this.service.enqueue(behaviour);
		return this.apache.execute(apachePost(), (response) -> EntityUtils.toString(response.getEntity()));
	}

	@Test
	void whileNotAcceptingAClientConnectsAndSendsButNothingIsReadUntilAcceptingResumes() throws IOException {
		this.service.setAccepting(false);
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));
			client.setReadTimeout(300);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(client::read);
			assertThat(this.service.connections()).isEmpty();
			assertThat(this.service.requests()).isEmpty();

			this.service.setAccepting(true);

			client.setReadTimeout(RawHttpClient.READ_TIMEOUT_MILLIS);
			assertThat(client.readResponse().body()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_11));
			assertThat(this.service.connections()).hasSize(1);
		}
	}

	@Test
	void queuedBehavioursAreUsedOnceInOrderThenTheDefault() throws IOException {
		this.service.setDefaultBehaviour(SoapBehaviour.answer("<default/>"));
		this.service.enqueue(SoapBehaviour.fault("first"), SoapBehaviour.answer("<second/>"));

		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).body()).contains("first");
		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).body()).contains("<second/>");
		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).body()).contains("<default/>");
		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).body()).contains("<default/>");
	}

	@Test
	void aMatcherPicksTheRequestsItIsForBySoapActionOrPath() throws Exception {
		this.service.enqueue(RequestMatcher.soapAction("urn:b"), SoapBehaviour.fault("for b"));
		this.service.enqueue(RequestMatcher.path("/ws/other"), SoapBehaviour.answer("<other/>"));

		assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11, "SOAPAction", "\"urn:a\"").statusCode())
			.isEqualTo(200);
		assertThat(post(this.service.uri("/ws/other"), SoapVersion.SOAP_11).body()).contains("<other/>");
		HttpResponse<String> soap12 = SoapCalls.CLIENT
			.send(SoapCalls.request(this.service.uri("/ws"), SoapVersion.SOAP_12)
				.setHeader("Content-Type", "application/soap+xml; charset=utf-8; action=\"urn:b\"")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(soap12.statusCode()).isEqualTo(500);
		assertThat(soap12.body()).contains("for b");
		assertThat(this.service.requests().get(2).soapAction()).hasValue("urn:b");
	}

	@Test
	void resetForgetsScriptsRecordsAndEndedConnectionsButKeepsOpenOnes() throws IOException {
		this.service.setDefaultBehaviour(SoapBehaviour.fault("default"));
		this.service.enqueue(SoapBehaviour.fault("queued"), SoapBehaviour.fault("left over"));
		this.service.setAccepting(false);
		this.service.setAccepting(true);
		try (RawHttpClient ended = RawHttpClient.connect(this.service.port())) {
			ended.post("/ws", "ended");
			assertThat(ended.readResponse().status()).isEqualTo(500);
		}
		this.service.awaitClosedByClient(0, WAIT);
		try (RawHttpClient kept = RawHttpClient.connect(this.service.port())) {
			kept.post("/ws", "kept");
			assertThat(kept.readResponse().status()).isEqualTo(500);

			this.service.reset();

			assertThat(this.service.requests()).isEmpty();
			assertThat(this.service.connections()).singleElement().satisfies((connection) -> {
				assertThat(connection.index()).isOne();
				assertThat(connection.state()).isEqualTo(SoapConnection.State.OPEN);
			});
			kept.post("/ws", "after the reset");
			assertThat(kept.readResponse().status()).as("echo, the default again").isEqualTo(200);
			SoapRequest request = this.service.awaitRequest(0, WAIT);
			assertThat(request.connection()).isOne();
			assertThat(request.bodyText()).isEqualTo("after the reset");
		}
		assertThat(this.service.awaitClosedByClient(1, WAIT).requests()).isEqualTo(2);
	}

	private HttpPost apachePost() {
		HttpPost post = new HttpPost(this.service.uri("/ws"));
		post.setEntity(new StringEntity(SoapCalls.envelope(SoapVersion.SOAP_11), ContentType.TEXT_XML));
		return post;
	}

	private String execute(HttpPost post) {
		try {
			return this.apache.execute(post, (response) -> EntityUtils.toString(response.getEntity()));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
