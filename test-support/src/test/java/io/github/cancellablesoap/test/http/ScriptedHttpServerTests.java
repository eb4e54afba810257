package io.github.cancellablesoap.test.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.cancellablesoap.test.ThreadCounts;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ScriptedHttpServer}.
 */
class ScriptedHttpServerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String ENVELOPE = "<Envelope>héllo</Envelope>";

	private ScriptedHttpServer server;

	@AfterEach
	void closeServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void respondAnswersEveryRequestAndKeepsTheConnectionAliveForTheNextOne() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml; charset=utf-8", ENVELOPE));
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			client.post("/ws", "first", "SOAPAction: \"urn:first\"");
			RawHttpClient.Response first = client.readResponse();
			client.post("/ws", "second", "SOAPAction: \"urn:second\"");
			RawHttpClient.Response second = client.readResponse();

			assertThat(first.status()).isEqualTo(200);
			assertThat(first.body()).isEqualTo(ENVELOPE);
			assertThat(first.headers()).containsEntry("content-type", "text/xml; charset=utf-8");
			assertThat(second.body()).isEqualTo(ENVELOPE);
			assertThat(this.server.connections()).hasSize(1);
			ServerConnection connection = this.server.connections().get(0);
			assertThat(connection.requestCount()).isEqualTo(2);
			assertThat(connection.responseCount()).isEqualTo(2);
			assertThat(connection.lastRequestBody()).isEqualTo("second");
			assertThat(connection.requestHeader("soapaction")).isEqualTo("\"urn:second\"");
			assertThat(connection.lastRequest().method()).isEqualTo("POST");
			assertThat(connection.lastRequest().target()).isEqualTo("/ws");
			assertThat(connection.isOpen()).isTrue();
			assertThat(connection.isClosedByPeer()).isFalse();
		}
	}

	@Test
	void respondCanComputeTheBodyFromTheRequestForAJavaHttpClient() throws Exception {
		this.server = ScriptedHttpServer
			.start(Behaviour.respond(200, "text/xml", RecordedRequest::body).withHeader("X-Served-By", "scripted"));
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		HttpResponse<String> response = client.send(HttpRequest.newBuilder(this.server.uri("echo"))
			.timeout(WAIT)
			.POST(HttpRequest.BodyPublishers.ofString(ENVELOPE, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(ENVELOPE);
		assertThat(response.headers().firstValue("x-served-by")).hasValue("scripted");
		assertThat(this.server.awaitConnection(0, WAIT).lastRequest().target()).isEqualTo("/echo");
	}

	@Test
	void hangBeforeHeadersSeesTheClientCloseTheSocket() throws IOException {
		RawHttpClient client = startAndPost(Behaviour.hangBeforeHeaders());
		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitRequest(WAIT)).isTrue();
		assertThat(connection.lastRequestBody()).isEqualTo(ENVELOPE);
		assertThat(connection.isClosedByPeer()).isFalse();
		assertThat(connection.responseCount()).isZero();

		long beforeClose = System.nanoTime();
		client.close();

		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
		assertThat(connection.closedByPeerNanos()).isBetween(beforeClose, System.nanoTime());
		assertThat(connection.awaitEnded(WAIT)).isTrue();
		assertThat(this.server.openConnectionCount()).isZero();
	}

	@Test
	void hangBeforeHeadersSeesAResetAsACloseByThePeer() throws IOException {
		RawHttpClient client = startAndPost(Behaviour.hangBeforeHeaders());
		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitRequest(WAIT)).isTrue();

		client.reset();

		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
		assertThat(connection.failure()).isEmpty();
	}

	@Test
	void stallBodySendsTheHeadersAndPartOfTheBodyThenSeesTheClientClose() throws IOException {
		RawHttpClient client = startAndPost(Behaviour.stallBody(100, "<Envelope>"));

		RawHttpClient.Response head = client.readHead();
		String partial = new String(client.readExactly(10), StandardCharsets.UTF_8);

		assertThat(head.status()).isEqualTo(200);
		assertThat(head.headers()).containsEntry("content-length", "100");
		assertThat(partial).isEqualTo("<Envelope>");
		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.responseCount()).isOne();
		assertThat(connection.isClosedByPeer()).isFalse();
		client.close();
		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
	}

	@Test
	void closingTheServerIsNotACloseByThePeer() throws IOException {
		try (RawHttpClient client = startAndPost(Behaviour.hangBeforeHeaders())) {
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.awaitRequest(WAIT)).isTrue();

			this.server.close();

			assertThat(connection.isOpen()).isFalse();
			assertThat(connection.awaitClosedByPeer(WAIT)).isFalse();
			assertThat(connection.isClosedByPeer()).isFalse();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(connection::closedByPeerNanos);
			assertThat(client.read()).isEqualTo(-1);
		}
	}

	@Test
	void closeImmediatelyClosesWithoutAnswering() throws IOException {
		try (RawHttpClient client = startAndPost(Behaviour.closeImmediately())) {
			assertThat(client.read()).isEqualTo(-1);
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.awaitEnded(WAIT)).isTrue();
			assertThat(connection.requestCount()).isOne();
			assertThat(connection.isClosedByPeer()).isFalse();
		}
	}

	@Test
	void resetImmediatelyResetsWithoutAnswering() throws IOException {
		try (RawHttpClient client = startAndPost(Behaviour.resetImmediately())) {
			assertThatExceptionOfType(SocketException.class).isThrownBy(client::read).withMessageContaining("reset");
			assertThat(this.server.awaitConnection(0, WAIT).isClosedByPeer()).isFalse();
		}
	}

	@Test
	void setBehaviourAppliesToTheNextRequestOnAKeptAliveConnection() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"));
		RawHttpClient client = RawHttpClient.connect(this.server.port());
		client.post("/ws", "first");
		assertThat(client.readResponse().body()).isEqualTo("ok");

		this.server.setBehaviour(Behaviour.hangBeforeHeaders());
		client.post("/ws", "second");

		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitRequests(2, WAIT)).isTrue();
		assertThat(connection.responseCount()).isOne();
		client.close();
		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
	}

	@Test
	void connectionCloseFromTheClientIsHonouredAndTheClientCloseIsRecorded() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"));
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			client.post("/ws", "only", "Connection: close");

			assertThat(client.readResponse().body()).isEqualTo("ok");
			assertThat(client.read()).isEqualTo(-1);
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.isOpen()).isTrue();
			client.close();
			assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
		}
	}

	@Test
	void chunkedRequestBodiesAreDecoded() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml", RecordedRequest::body));
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\n<Enve\r\n6;ext=1\r\nlope/>\r\n0\r\nX-Trailer: yes\r\n\r\n");

			assertThat(client.readResponse().body()).isEqualTo("<Envelope/>");
			assertThat(this.server.awaitConnection(0, WAIT).requestHeader("x-trailer")).isEqualTo("yes");
		}
	}

	@Test
	void expectContinueIsAnsweredBeforeTheBodyIsRead() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml", RecordedRequest::body));
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			client.send("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
			assertThat(client.readHead().status()).isEqualTo(100);

			client.send("<Envelope/>");

			assertThat(client.readResponse().body()).isEqualTo("<Envelope/>");
		}
	}

	@Test
	void awaitConnectionFailsWhenNoClientConnects() {
		this.server = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

		assertThatThrownBy(() -> this.server.awaitConnection(0, Duration.ofMillis(50)))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("#0");
	}

	@Test
	void openConnectionCountFollowsTheClients() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"));
		RawHttpClient first = RawHttpClient.connect(this.server.port());
		try (RawHttpClient second = RawHttpClient.connect(this.server.port())) {
			this.server.awaitConnection(1, WAIT);
			assertThat(this.server.openConnectionCount()).isEqualTo(2);

			first.close();

			assertThat(this.server.connections().get(0).awaitEnded(WAIT)).isTrue();
			assertThat(this.server.openConnectionCount()).isOne();
		}
	}

	@Test
	void forgettingEndedConnectionsKeepsOpenOnesAndTheirIndexes() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/plain", "ok"));
		try (RawHttpClient ended = RawHttpClient.connect(this.server.port())) {
			ended.post("/ws", "first");
			assertThat(ended.readResponse().body()).isEqualTo("ok");
		}
		assertThat(this.server.awaitConnection(0, WAIT).awaitEnded(WAIT)).isTrue();
		try (RawHttpClient open = RawHttpClient.connect(this.server.port())) {
			ServerConnection kept = this.server.awaitConnection(1, WAIT);

			this.server.forgetEndedConnections();

			assertThat(this.server.connections()).containsExactly(kept);
			assertThat(kept.index()).isOne();
			assertThatIllegalStateException().isThrownBy(() -> this.server.awaitConnection(0, WAIT))
				.withMessageContaining("forgotten");
			open.post("/ws", "second");
			assertThat(open.readResponse().body()).isEqualTo("ok");
			assertThat(kept.requestCount()).isOne();
		}
	}

	@Test
	void aConnectionKeepsItsMostRecentRequestsWithinTheBoundAndCountsThemAll() throws IOException {
		this.server = ScriptedHttpServer.builder()
			.maxRequestsKeptPerConnection(2)
			.behaviour(Behaviour.respond(200, "text/plain", "ok"))
			.start();
		try (RawHttpClient client = RawHttpClient.connect(this.server.port())) {
			for (String body : new String[] { "one", "two", "three" }) {
				client.post("/ws", body);
				assertThat(client.readResponse().body()).isEqualTo("ok");
			}
		}
		ServerConnection connection = this.server.awaitConnection(0, WAIT);

		assertThat(connection.requestCount()).isEqualTo(3);
		assertThat(connection.requests()).extracting(RecordedRequest::body).containsExactly("two", "three");
		assertThat(connection.lastRequestBody()).isEqualTo("three");
	}

	@Test
	void aServerBuiltWithABindAddressAndPortListensThere() throws IOException {
		int port;
		try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
			port = probe.getLocalPort();
		}
		this.server = ScriptedHttpServer.builder()
			.bindAddress(java.net.InetAddress.getByName("0.0.0.0"))
			.port(port)
			.behaviour(Behaviour.respond(200, "text/plain", "ok"))
			.start();

		assertThat(this.server.port()).isEqualTo(port);
		assertThat(this.server.host()).isEqualTo("127.0.0.1");
		assertThat(this.server.uri("ws")).hasToString("http://127.0.0.1:" + port + "/ws");
		try (RawHttpClient client = RawHttpClient.connect(port)) {
			client.post("/ws", "x");
			assertThat(client.readResponse().body()).isEqualTo("ok");
		}
		assertThatIllegalStateException().isThrownBy(() -> ScriptedHttpServer.builder().start())
			.withMessageContaining("behaviour");
	}

	@Test
	void closeEndsEveryServerThread() throws IOException {
		try (RawHttpClient client = startAndPost(Behaviour.hangBeforeHeaders())) {
			String prefix = "scripted-http-" + this.server.port() + "-";
			assertThat(this.server.awaitConnection(0, WAIT).awaitRequest(WAIT)).isTrue();
			assertThat(ThreadCounts.live(prefix)).isEqualTo(2);

			this.server.close();

			assertThat(ThreadCounts.liveNames(prefix)).isEmpty();
		}
	}

	@Test
	void anApacheHttpClientExchangeIsServedWithAChunkedBody() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml", RecordedRequest::body));
		try (CloseableHttpClient client = HttpClients.createDefault()) {
			HttpPost post = new HttpPost(this.server.uri("/ws"));
			post.setEntity(new InputStreamEntity(new ByteArrayInputStream(ENVELOPE.getBytes(StandardCharsets.UTF_8)),
					-1, ContentType.TEXT_XML.withCharset(StandardCharsets.UTF_8)));

			String body = client.execute(post, (response) -> EntityUtils.toString(response.getEntity()));

			assertThat(body).isEqualTo(ENVELOPE);
			assertThat(this.server.awaitConnection(0, WAIT).requestHeader("Transfer-Encoding")).isEqualTo("chunked");
		}
	}

	@Test
	void anApacheHttpClientCancelIsSeenAsACloseByThePeer() throws IOException {
		this.server = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());
		try (CloseableHttpClient client = HttpClients.createDefault()) {
			HttpPost post = new HttpPost(this.server.uri("/ws"));
			post.setEntity(new StringEntity(ENVELOPE, ContentType.TEXT_XML));
			CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> execute(client, post));
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.awaitRequest(WAIT)).isTrue();

			post.cancel();

			assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
			await().atMost(WAIT).until(call::isDone);
			assertThat(call).isCompletedExceptionally();
		}
	}

	@Test
	void aScriptWritesRawBytesAndKeepsTheConnectionAlive() throws IOException {
		RawHttpClient client = startAndPost(Behaviour.script((request, out) -> {
			out.write("HTTP/1.1 200 OK\r\nX-Flood: ".getBytes(StandardCharsets.ISO_8859_1));
			out.write("a".repeat(100_000).getBytes(StandardCharsets.ISO_8859_1));
			out.write(("\r\nContent-Length: " + request.body().length() + "\r\n\r\n" + request.body())
				.getBytes(StandardCharsets.ISO_8859_1));
		}));
		try (client) {
			RawHttpClient.Response first = client.readResponse();
			client.post("/ws", "second");

			assertThat(first.headers().get("x-flood")).hasSize(100_000);
			assertThat(client.readResponse().body()).isEqualTo("second");
			ServerConnection connection = this.server.awaitConnection(0, WAIT);
			assertThat(connection.responseCount()).isEqualTo(2);
			assertThat(connection.isOpen()).isTrue();
		}
	}

	@Test
	void aScriptCutShortByTheClientClosingIsSeenAsACloseByThePeer() throws IOException {
		RawHttpClient client = startAndPost(Behaviour.script((request, out) -> {
			out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			byte[] chunk = new byte[64 * 1024];
			while (true) {
				out.write(chunk);
			}
		}));
		assertThat(client.readHead().headers()).containsEntry("content-length", "1000000000");
		assertThat(client.readExactly(1024)).hasSize(1024);

		client.reset();

		ServerConnection connection = this.server.awaitConnection(0, WAIT);
		assertThat(connection.awaitClosedByPeer(WAIT)).isTrue();
		assertThat(connection.awaitEnded(WAIT)).isTrue();
		assertThat(connection.failure()).isEmpty();
	}

	/**
	 * Start the server with a behaviour, connect a raw client and post the envelope.
	 */
	private RawHttpClient startAndPost(Behaviour behaviour) throws IOException {
		this.server = ScriptedHttpServer.start(behaviour);
		RawHttpClient client = RawHttpClient.connect(this.server.port());
		client.post("/ws", ENVELOPE);
		return client;
	}

	private static String execute(CloseableHttpClient client, HttpPost post) {
		try {
			return client.execute(post, (response) -> EntityUtils.toString(response.getEntity()));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
