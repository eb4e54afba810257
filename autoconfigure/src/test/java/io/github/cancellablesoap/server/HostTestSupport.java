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
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = "POST /hosts/" + host
				+ " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n"
				+ "SOAPAction: \"\"\r\nContent-Length: " + bytes.length + "\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
		return socket;
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
