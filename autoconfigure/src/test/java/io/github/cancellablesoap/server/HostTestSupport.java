package io.github.cancellablesoap.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared set-up of the tests that run hosts on a real Tomcat: one cached context, hosts
 * reset and opened before each test, helpers to send requests.
 */
@SpringBootTest(classes = HostTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class HostTestSupport {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	DefaultServiceHost mainHost;

	@Autowired
	DefaultServiceHost otherHost;

	@Autowired
	Probe probe;

	@BeforeEach
	void openHosts() {
		this.probe.reset();
		for (DefaultServiceHost host : new DefaultServiceHost[] { this.mainHost, this.otherHost }) {
			ready(host);
		}
		// operations of the previous test end just after their responses were sent
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.mainHost.operations().isEmpty() && this.otherHost.operations().isEmpty());
	}

	@AfterEach
	void releaseEndpoints() {
		this.probe.gate.countDown();
	}

	private static void ready(DefaultServiceHost host) {
		if (host.state() == HostState.OPEN && host.listenerState() == ListenerState.FAULTED) {
			host.resetListener();
		}
		if (host.state() == HostState.OPEN) {
			return;
		}
		if (host.state() == HostState.CLOSING) {
			host.close();
		}
		if (host.state() == HostState.CLOSED || host.state() == HostState.FAULTED) {
			host.reset();
		}
		host.open();
	}

	static String envelope(String payload) {
		return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>" + payload
				+ "</soapenv:Body></soapenv:Envelope>";
	}

	static String work(String mode) {
		return envelope("<t:Work xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\" mode=\"" + mode + "\"/>");
	}

	URI uri(String host) {
		return URI.create("http://localhost:" + this.port + "/hosts/" + host);
	}

	CompletableFuture<HttpResponse<String>> post(String host, String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(host))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "text/xml; charset=utf-8")
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	CompletableFuture<HttpResponse<String>> post(String host, String body) {
		return post(host, body, Map.of());
	}

	static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> response) throws Exception {
		return response.get(20, TimeUnit.SECONDS);
	}

	/** The id of the next operation the test endpoint started, waiting a bounded time. */
	String nextStarted() throws InterruptedException {
		String id = this.probe.started.poll(10, TimeUnit.SECONDS);
		assertThat(id).as("an operation started").isNotNull();
		return id;
	}

	/**
	 * Open a raw connection and send a whole request on it, without reading the answer.
	 */
	Socket sendRaw(String host, String body) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("localhost", this.port), 5000);
		send(socket, host, body);
		return socket;
	}

	/**
	 * Send a whole SOAP request on a raw connection, without reading the answer.
	 * @param socket the connection
	 * @param host the host's name
	 * @param body the envelope
	 * @param headers more header lines, such as {@code "Connection: close"}
	 */
	static void send(Socket socket, String host, String body, String... headers) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("POST /hosts/").append(host)
			.append(" HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
		OutputStream out = socket.getOutputStream();
		out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
	}

	/**
	 * Open a raw connection that sends a request's head and the start of its 5000-byte
	 * body to the main host, then stalls; returns once the operation was admitted.
	 */
	Socket sendStalledBody() throws IOException {
		Socket socket = new Socket("localhost", this.port);
		String head = "POST /hosts/main HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
				+ "Content-Length: 5000\r\n\r\n<soapenv:Envelope";
		socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().size() == 1);
		return socket;
	}

	/**
	 * Measure, over rounds, how long after a caller closed its socket mid-call the
	 * operation's cancel callback ran with {@link CancelReason#CALLER_GONE}, and check
	 * that the median stays under two seconds (generous: milliseconds are expected); the
	 * report goes to the log and the measurements file, and every operation ends.
	 * @param label what is measured, for the report
	 * @param rounds how many calls to make, one after the other
	 */
	void assertCallerGoneDetectedPromptly(String label, int rounds) throws Exception {
		Latencies latencies = new Latencies(label);
		for (int i = 0; i < rounds; i++) {
			String id;
			long closed;
			try (Socket socket = sendRaw("main", work("cancel"))) {
				id = nextStarted();
				closed = System.nanoTime();
			}
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> this.probe.cancelNanos.containsKey(id));
			assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
			latencies.add(this.probe.cancelNanos.get(id) - closed);
		}
		latencies.report();
		assertThat(latencies.percentileMillis(50)).isLessThan(2000);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.mainHost.operations().isEmpty());
	}

	static void assertCancelledFault(HttpResponse<String> response, CancelReason reason) {
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("<cs:cancelled")
			.contains(CancellationFaults.NAMESPACE)
			.contains("reason=\"" + reason + "\"")
			.contains("was cancelled: " + reason);
	}

	static void assertRejected(HttpResponse<String> response, String host, HostState state, ListenerState listener) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("<cs:rejected")
			.contains("Service host '" + host + "'")
			.contains("hostState=\"" + state + "\"")
			.contains("listenerState=\"" + listener + "\"");
	}

}
