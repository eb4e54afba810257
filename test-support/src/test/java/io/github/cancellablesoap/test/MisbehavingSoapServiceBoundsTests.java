package io.github.cancellablesoap.test;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RawHttpClient;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static io.github.cancellablesoap.test.SoapCalls.WAIT;
import static io.github.cancellablesoap.test.SoapCalls.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the bounds of a {@link LocalMisbehavingSoapService} and for the checks of
 * what a test asks of it.
 */
class MisbehavingSoapServiceBoundsTests {

	@AutoClose
	private final LocalMisbehavingSoapService service = LocalMisbehavingSoapService.builder()
		.maxRequestBodyBytes(300)
		.maxRecordedRequests(2)
		.start();

	@Test
	void aConnectionBeyondTheOpenBoundIsClosedAtOnceAndCounted() throws IOException {
		try (LocalMisbehavingSoapService small = LocalMisbehavingSoapService.builder().maxOpenConnections(1).start();
				RawHttpClient first = RawHttpClient.connect(small.port())) {
			small.awaitConnection(0, WAIT);
			try (RawHttpClient second = RawHttpClient.connect(small.port())) {
				assertThat(endOfConnection(second)).as("closed at once").isTrue();
			}
			assertThat(small.refusedConnectionCount()).isEqualTo(1);
			assertThat(small.connections()).hasSize(1);
			first.post("/ws", "<Envelope/>");
			assertThat(first.readResponse().status()).as("the open one is served").isEqualTo(200);
			first.close();
			small.awaitNoOpenConnection(WAIT);
			try (RawHttpClient third = RawHttpClient.connect(small.port())) {
				third.post("/ws", "<Envelope/>");
				assertThat(third.readResponse().status()).as("room again once it ended").isEqualTo(200);
			}
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalMisbehavingSoapService.builder().maxOpenConnections(0));
	}

	@Test
	void theOpenCountStaysExactUnderManyConnectingThreads() throws Exception {
		// Each thread waits until the server ended its connection before opening the
		// next, so at most one per thread is open: 320 connections in all would meet the
		// bound if one end were not counted, or counted late.
		int threads = 16;
		try (ScriptedHttpServer server = ScriptedHttpServer.builder()
			.behaviour(Behaviour.respond(200, "text/plain", "ok"))
			.maxOpenConnections(threads)
			.start()) {
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				List<Future<?>> runs = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					runs.add(pool.submit(() -> {
						for (int i = 0; i < 20; i++) {
							int localPort;
							try (RawHttpClient client = RawHttpClient.connect(server.port())) {
								localPort = client.socket().getLocalPort();
								client.post("/ws", "<Envelope/>");
								assertThat(client.readResponse().status()).isEqualTo(200);
							}
							ServerConnection mine = server.connections()
								.stream()
								.filter((connection) -> connection.clientPort() == localPort && connection.isOpen())
								.findFirst()
								.orElse(null);
							if (mine != null) {
								assertThat(mine.awaitEnded(WAIT)).isTrue();
							}
						}
						return null;
					}));
				}
				for (Future<?> run : runs) {
					run.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(server.refusedConnectionCount()).as("never more than the bound open at once").isZero();
			assertThat(server.connections()).hasSize(threads * 20);
		}
	}

	/**
	 * Whether the connection ends, in order or with a reset, rather than waiting.
	 */
	private static boolean endOfConnection(RawHttpClient client) throws IOException {
		try {
			return client.read() == -1;
		}
		catch (SocketException ex) {
			return ex.getMessage().contains("reset");
		}
	}

	@Test
	void theScriptHoldsAtMostTenThousandBehaviours() {
		for (int i = 0; i < LocalMisbehavingSoapService.MAX_QUEUED; i++) {
			this.service.enqueue(SoapBehaviour.echo());
		}
		assertThatIllegalStateException().isThrownBy(() -> this.service.enqueue(SoapBehaviour.echo()))
			.withMessageContaining("at most 10000 behaviours");
		this.service.reset();
		this.service.enqueue(SoapBehaviour.echo());
	}

	@Test
	void bodiesBeyondTheRecordedBodyBoundAreServedWholeAndRecordedTruncated() throws IOException {
		try (LocalMisbehavingSoapService small = LocalMisbehavingSoapService.builder()
			.maxRecordedBodyBytes(250)
			.start()) {
			for (int i = 0; i < 3; i++) {
				try (RawHttpClient client = RawHttpClient.connect(small.port())) {
					client.post("/ws", String.valueOf(i).repeat(100));
					RawHttpClient.Response response = client.readResponse();
					assertThat(response.status()).isEqualTo(200);
					assertThat(response.body()).isEqualTo(String.valueOf(i).repeat(100));
				}
			}

			assertThat(small.requests()).extracting(SoapRequest::bodyText)
				.containsExactly("0".repeat(100), "1".repeat(100), "2".repeat(50));
			assertThat(small.requests()).extracting(SoapRequest::bodyTruncated).containsExactly(false, false, true);
			assertThat(small.requests().get(2).toString()).contains("50 body bytes (truncated)");
			assertThat(SoapRequest.parse(small.requests().get(2).toLine())).isEqualTo(small.requests().get(2));

			small.reset();
			try (RawHttpClient client = RawHttpClient.connect(small.port())) {
				client.post("/ws", "x".repeat(200));
				assertThat(client.readResponse().status()).isEqualTo(200);
			}
			assertThat(small.awaitRequest(0, WAIT).bodyTruncated()).as("a reset frees the room").isFalse();
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalMisbehavingSoapService.builder().maxRecordedBodyBytes(-1));
	}

	@Test
	void aDeclaredBodyOverTheBoundIsRefusedWith413BeforeItIsRead() throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n");

			RawHttpClient.Response response = client.readResponse();

			assertThat(response.status()).isEqualTo(413);
			assertThat(response.body()).contains("declares 1000 bytes").contains("at most 300 bytes");
		}
		this.service.awaitNoOpenConnection(WAIT);
		assertThat(this.service.requests()).isEmpty();
		assertThat(this.service.connections()).singleElement()
			.satisfies((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED));
	}

	@Test
	void aChunkedBodyThatGoesOnPastTheBoundIsRefusedWith413() throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + "12c\r\n"
					+ "a".repeat(300) + "\r\n1\r\nb\r\n0\r\n\r\n");

			RawHttpClient.Response response = client.readResponse();

			assertThat(response.status()).isEqualTo(413);
			assertThat(response.body()).contains("goes on past the bound");
		}
	}

	@Test
	void tooManyHeadersAreRefusedWith431() throws IOException {
		StringBuilder head = new StringBuilder("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (int i = 0; i < 300; i++) {
			head.append("X-Header-").append(i).append(": v\r\n");
		}
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.send(head.append("Content-Length: 0\r\n\r\n").toString());

			RawHttpClient.Response response = client.readResponse();

			assertThat(response.status()).isEqualTo(431);
			assertThat(response.body()).contains("256 headers");
		}
	}

	@Test
	void aHeaderLineOverTheBoundIsRefusedWith431() throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + "a".repeat(70 * 1024)
					+ "\r\nContent-Length: 0\r\n\r\n");

			RawHttpClient.Response response = client.readResponse();

			assertThat(response.status()).isEqualTo(431);
			assertThat(response.body()).contains("lines up to 65536 bytes");
		}
	}

	@Test
	void aMalformedRequestIsRefusedWith400() throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: many\r\n\r\n");

			RawHttpClient.Response response = client.readResponse();

			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body()).contains("Malformed Content-Length");
		}
	}

	@Test
	void onlyTheFirstRequestsAreRecordedButEveryOneIsServed() throws IOException {
		for (int i = 0; i < 3; i++) {
			assertThat(post(this.service.uri("/ws"), SoapVersion.SOAP_11).statusCode()).isEqualTo(200);
		}

		assertThat(this.service.requests()).extracting(SoapRequest::index).containsExactly(0, 1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.awaitRequest(2, WAIT))
			.withMessageContaining("at most 2 requests");
	}

	@Test
	void awaitRequestFailsWithWhatTheServiceSaw() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.service.awaitRequest(0, Duration.ofMillis(50)))
			.withMessageContaining("Request #0 did not come")
			.withMessageContaining("requests read: 0");
	}

	@Test
	void behavioursThatSendNoAnswerCannotBePacedOrGivenAStatus() {
		assertThatIllegalStateException().isThrownBy(() -> SoapBehaviour.hang().stallAfter(1));
		assertThatIllegalStateException().isThrownBy(() -> SoapBehaviour.reset().dribble(1, Duration.ofMillis(1)));
		assertThatIllegalStateException().isThrownBy(() -> SoapBehaviour.closeWithoutAnswer().withStatus(500));
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.echo().withStatus(100));
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.echo().withHeader("Bad Name", "v"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SoapBehaviour.echo().afterRandomDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)));
	}

	@Test
	void everyBehaviourHasALineFormThatParsesBackToIt() {
		SoapBehaviour[] behaviours = { SoapBehaviour.echo(), SoapBehaviour.hang().afterDelay(Duration.ofSeconds(1)),
				SoapBehaviour.closeWithoutAnswer(), SoapBehaviour.reset(), SoapBehaviour.garbageThenClose(),
				SoapBehaviour.malformedChunkThenClose().inVersion(SoapVersion.SOAP_12),
				SoapBehaviour.answerEnvelope("<not xml & spaced\nlines>"),
				SoapBehaviour.senderFault("bad = input").inVersion(SoapVersion.SOAP_12),
				SoapBehaviour.answer("<ok/>")
					.afterRandomDelay(Duration.ofMillis(10), Duration.ofMillis(20))
					.dribble(3, Duration.ofMillis(5))
					.stallAfter(7)
					.withStatus(299)
					.withHeader("Soap-Cancel", "supported") };
		for (SoapBehaviour behaviour : behaviours) {
			assertThat(behaviour.toLine()).doesNotContain("\n");
			assertThat(SoapBehaviour.parse(behaviour.toLine())).isEqualTo(behaviour);
		}
	}

	@Test
	void aBadLineIsRefusedWithWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("shout"))
			.withMessageContaining("Unknown behaviour 'shout'");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo loudly=yes"))
			.withMessageContaining("Unknown field 'loudly'");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo delay=soon"))
			.withMessageContaining("ISO-8601");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo status=ok"))
			.withMessageContaining("not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo version=SOAP_13"))
			.withMessageContaining("SOAP_11 or SOAP_12");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo text=%zz"))
			.withMessageContaining("percent-encoded");
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("echo status=200 status=201"))
			.withMessageContaining("given 2 times");
	}

}
