package io.github.cancellablesoap.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RemoteMisbehavingSoapService} against
 * {@link MisbehavingSoapServiceMain} on random ports: in this JVM (the control protocol
 * end to end) and once in a child JVM started with the module's class path, as a
 * container would run it.
 */
class RemoteMisbehavingSoapServiceTests {

	@AutoClose
	private final MisbehavingSoapServiceMain.Running running = MisbehavingSoapServiceMain.start("--bind=127.0.0.1",
			"--soap-port=0", "--control-port=0");

	private final LocalMisbehavingSoapService local = this.running.service();

	private final RemoteMisbehavingSoapService remote = new RemoteMisbehavingSoapService("127.0.0.1", this.local.port(),
			this.running.controlPort());

	@AutoClose
	private final CloseableHttpClient apache = HttpClients.createDefault();

	@Test
	void scriptsAndRecordsGoThroughTheControlPort() throws IOException {
		assertThat(this.remote.isReady()).isTrue();
		this.remote.setDefaultBehaviour(SoapBehaviour.answer("<default/>"));
		this.remote.enqueue(RequestMatcher.soapAction("urn:b").andPath("/ws"),
				SoapBehaviour.senderFault("for b").afterDelay(Duration.ofMillis(10)));
		this.remote.enqueue(SoapBehaviour.echo().withHeader("Soap-Cancel", "supported"));

		assertThat(post(this.remote.uri("/ws"), SoapVersion.SOAP_11, "Soap-Call-Id", "c-1").headers()
			.firstValue("Soap-Cancel")).hasValue("supported");
		assertThat(post(this.remote.uri("/ws"), SoapVersion.SOAP_11, "SOAPAction", "urn:b").body()).contains("for b");
		assertThat(post(this.remote.uri("/ws"), SoapVersion.SOAP_12).body()).contains("<default/>");

		SoapRequest first = this.remote.awaitRequest(0, WAIT);
		assertThat(first).isEqualTo(this.local.requests().get(0));
		assertThat(first.callId()).hasValue("c-1");
		assertThat(first.bodyText()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_11));
		assertThat(this.remote.requests()).isEqualTo(this.local.requests()).hasSize(3);
		assertThat(this.remote.connections()).isEqualTo(this.local.connections());
		assertThat(this.remote.awaitConnection(0, WAIT)).isEqualTo(this.local.connections().get(0));
	}

	@Test
	void anAbortIsSeenThroughTheControlPortAsTheClientClosingTheConnection() {
		this.remote.enqueue(SoapBehaviour.hang());
		HttpPost post = new HttpPost(this.remote.uri("/ws"));
		post.setEntity(new StringEntity(SoapCalls.envelope(SoapVersion.SOAP_11), ContentType.TEXT_XML));
		CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> execute(post));
		SoapRequest request = this.remote.awaitRequest(0, WAIT);

		post.cancel();

		SoapConnection closed = this.remote.awaitClosedByClient(request, WAIT);
		assertThat(closed.closedByClient()).isTrue();
		assertThat(closed.closedAt()).isNotNull();
		this.remote.awaitNoOpenConnection(WAIT);
		assertThat(call).failsWithin(WAIT);
	}

	@Test
	void anAwaitThatTimesOutFailsWithTheServicesWords() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.remote.awaitRequest(3, Duration.ofMillis(100)))
			.withMessageContaining("Request #3 did not come");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.remote.awaitConnection(0, Duration.ofMillis(100)))
			.withMessageContaining("#0");
		assertThatIllegalArgumentException().isThrownBy(() -> this.remote.awaitRequest(0, Duration.ofHours(1)));
	}

	@Test
	void acceptingAndResetGoThroughTheControlPort() throws IOException {
		this.remote.setAccepting(false);
		try (RawHttpClient client = RawHttpClient.connect(this.local.port())) {
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));
			assertThat(this.remote.connections()).isEmpty();
			this.remote.setAccepting(true);
			assertThat(client.readResponse().status()).isEqualTo(200);
		}
		this.remote.enqueue(SoapBehaviour.fault("left over"));
		this.remote.awaitNoOpenConnection(WAIT);

		this.remote.reset();

		assertThat(this.remote.requests()).isEmpty();
		assertThat(this.remote.connections()).isEmpty();
		assertThat(post(this.remote.uri("/ws"), SoapVersion.SOAP_11).statusCode()).isEqualTo(200);
	}

	@Test
	void badControlInputIsRefusedWithAClearError() throws IOException {
		assertThat(control("POST /script", "fault text=queued\nshout\n")).startsWith("400 ")
			.contains("Script line 2: Unknown behaviour 'shout'");
		assertThat(control("POST /script", "echo loudly=yes\n")).startsWith("400 ")
			.contains("Script line 1: Unknown field 'loudly'");
		assertThat(post(this.remote.uri("/ws"), SoapVersion.SOAP_11).statusCode()).as("nothing was queued")
			.isEqualTo(200);
		assertThat(control("PUT /default", "echo\necho\n")).startsWith("400 ").contains("exactly one line");
		assertThat(control("PUT /default", "echo when-action=urn:x\n")).startsWith("400 ")
			.contains("Unknown field 'when-action'");
		assertThat(control("PUT /accepting", "maybe\n")).startsWith("400 ").contains("true or false");
		assertThat(control("GET /requests/0?wait=-1", null)).startsWith("400 ").contains("wait is 0 to");
		assertThat(control("GET /requests/first", null)).startsWith("400 ").contains("Not an index");
		assertThat(control("GET /nothing", null)).startsWith("404 ");
		assertThat(control("DELETE /reset", null)).startsWith("400 ").contains("Use POST");
		assertThat(control("POST /script", "echo text=" + "a".repeat(ControlServer.MAX_BODY_BYTES) + "\n"))
			.startsWith("413 ");
	}

	@Test
	void aControlPortThatDoesNotAnswerIsReportedAsSuch() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closedPort = socket.getLocalPort();
		}
		RemoteMisbehavingSoapService gone = new RemoteMisbehavingSoapService("127.0.0.1", 1, closedPort);

		assertThat(gone.isReady()).isFalse();
		assertThatIllegalStateException().isThrownBy(gone::reset).withMessageContaining("did not answer POST /reset");
	}

	@Test
	void theMainRunsInAChildJvmWithTheModulesClassPath() throws Exception {
		Process child = new ProcessBuilder(javaExecutable(), "-cp", moduleClassPath(),
				MisbehavingSoapServiceMain.class.getName(), "--bind=127.0.0.1", "--soap-port=0", "--control-port=0")
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
			Matcher ports = Pattern
				.compile(Pattern.quote(MisbehavingSoapServiceMain.READY) + " soap-port=(\\d+) control-port=(\\d+)")
				.matcher(ready);
			assertThat(ports.matches()).as(ready).isTrue();
			RemoteMisbehavingSoapService remote = new RemoteMisbehavingSoapService("127.0.0.1",
					Integer.parseInt(ports.group(1)), Integer.parseInt(ports.group(2)));
			remote.enqueue(SoapBehaviour.hang());
			HttpPost post = new HttpPost(remote.uri("/ws"));
			post.setEntity(new StringEntity(SoapCalls.envelope(SoapVersion.SOAP_12), ContentType.TEXT_XML));
			CompletableFuture.supplyAsync(() -> execute(post));
			assertThat(remote.awaitRequest(0, WAIT).bodyText()).isEqualTo(SoapCalls.envelope(SoapVersion.SOAP_12));

			post.cancel();

			assertThat(remote.awaitClosedByClient(0, WAIT).closedByClient()).isTrue();
		}
		finally {
			child.destroy();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	/**
	 * Sixty bodies of a megabyte, twice the recorded-body bound, in a JVM with the heap
	 * the container gives the default limits: before the bound and the paged record, the
	 * service ran out of heap (and gave empty replies) after a dozen.
	 */
	@Test
	void moreBodyBytesThanTheBoundLeaveTheServiceAnsweringAndItsRecordReadable() throws Exception {
		Process child = new ProcessBuilder(javaExecutable(), "-Xmx144m", "-cp", moduleClassPath(),
				MisbehavingSoapServiceMain.class.getName(), "--soap-port=0", "--control-port=0")
			.redirectErrorStream(true)
			.start();
		try {
			RemoteMisbehavingSoapService remote = remoteOf(child);
			String body = "b".repeat(1_000_000);
			for (int i = 0; i < 60; i++) {
				try (RawHttpClient client = RawHttpClient.connect(remote.port())) {
					client.post("/ws", body);
					RawHttpClient.Response response = client.readResponse();
					assertThat(response.status()).as("answer #" + i).isEqualTo(200);
					assertThat(response.body()).hasSize(1_000_000);
				}
			}

			List<SoapRequest> requests = remote.requests();

			assertThat(requests).hasSize(60);
			assertThat(requests).extracting(SoapRequest::index)
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 60).boxed().toList());
			assertThat(requests.subList(0, 33)).allSatisfy((request) -> {
				assertThat(request.bodyTruncated()).isFalse();
				assertThat(request.bodyLength()).isEqualTo(1_000_000);
			});
			assertThat(requests.get(33).bodyTruncated()).isTrue();
			assertThat(requests.get(33).bodyLength()).isEqualTo(32 * 1024 * 1024 - 33_000_000);
			assertThat(requests.subList(34, 60)).allSatisfy((request) -> {
				assertThat(request.bodyTruncated()).isTrue();
				assertThat(request.bodyLength()).isZero();
			});
			assertThat(remote.awaitRequest(59, WAIT).bodyTruncated()).isTrue();
			assertThat(remote.connections()).hasSize(60);
		}
		finally {
			child.destroy();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void theRecordIsReadInPagesThatTheControlPortBounds() throws IOException {
		for (int i = 0; i < 3; i++) {
			post(this.remote.uri("/ws"), SoapVersion.SOAP_11);
		}

		assertThat(control("GET /requests?from=1&limit=1", null)).startsWith("200 ")
			.contains("index=1 ")
			.doesNotContain("index=0 ")
			.doesNotContain("index=2 ");
		assertThat(control("GET /requests?from=3", null)).isEqualTo("200 ");
		assertThat(control("GET /requests?limit=1001", null)).startsWith("400 ").contains("limit is 0 to 1000");
		assertThat(control("GET /requests?from=x", null)).startsWith("400 ").contains("from is a number");
		assertThat(this.remote.requests()).isEqualTo(this.local.requests()).hasSize(3);
	}

	@Test
	void aDelayBeyondADayIsRefusedWith400() throws IOException {
		assertThat(control("POST /script", "answer delay=PT100000000H\n")).startsWith("400 ")
			.contains("Script line 1")
			.contains("PT24H");
		assertThat(control("PUT /default", "answer delay=PT100000000H\n")).startsWith("400 ");
	}

	@Test
	void theMainEndsWithStatus2AndAMessageOnBadArguments() throws Exception {
		Process child = new ProcessBuilder(javaExecutable(), "-cp", moduleClassPath(),
				MisbehavingSoapServiceMain.class.getName(), "--colour=blue")
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).isEqualTo(2);
			assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
				.startsWith("misbehaving-soap-service: Unknown argument --colour");
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void theMainRefusesBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> MisbehavingSoapServiceMain.start("--soap-port=http"))
			.withMessageContaining("--soap-port takes a number");
		assertThatIllegalArgumentException().isThrownBy(() -> MisbehavingSoapServiceMain.start("--colour=blue"))
			.withMessageContaining("Unknown argument --colour");
		assertThatIllegalArgumentException().isThrownBy(() -> MisbehavingSoapServiceMain.start("verbose"))
			.withMessageContaining("--name=value");
	}

	/**
	 * One raw control exchange: {@code "<status> <body>"}.
	 */
	private String control(String requestLine, String body) throws IOException {
		try (RawHttpClient client = RawHttpClient.connect(this.running.controlPort())) {
			String[] parts = requestLine.split(" ");
			byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			client.send(parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + content.length
					+ "\r\n\r\n");
			client.send(new String(content, StandardCharsets.UTF_8));
			RawHttpClient.Response response = client.readResponse();
			return response.status() + " " + response.body();
		}
	}

	private static RemoteMisbehavingSoapService remoteOf(Process child) throws Exception {
		BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
		Matcher ports = Pattern
			.compile(Pattern.quote(MisbehavingSoapServiceMain.READY) + " soap-port=(\\d+) control-port=(\\d+)")
			.matcher(ready);
		assertThat(ports.matches()).as(ready).isTrue();
		return new RemoteMisbehavingSoapService("127.0.0.1", Integer.parseInt(ports.group(1)),
				Integer.parseInt(ports.group(2)));
	}

	private String execute(HttpPost post) {
		try {
			return this.apache.execute(post, (response) -> EntityUtils.toString(response.getEntity()));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String readLine(BufferedReader reader) {
		try {
			return reader.readLine();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * The module's runtime class path: its classes and HttpCore.
	 */
	private static String moduleClassPath() throws URISyntaxException {
		List<Class<?>> roots = List.of(MisbehavingSoapServiceMain.class, org.apache.hc.core5.http.HttpException.class);
		StringBuilder path = new StringBuilder();
		for (Class<?> root : roots) {
			if (path.length() > 0) {
				path.append(File.pathSeparatorChar);
			}
			path.append(Path.of(root.getProtectionDomain().getCodeSource().getLocation().toURI()));
		}
		return path.toString();
	}

}
