package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared set-up of the tests that send hostile requests to a host on a real Tomcat: the
 * main host gives request bodies 2 s to arrive; raw-socket helpers; the check that the
 * host came through unharmed.
 */
@TestPropertySource(properties = "test.main.request-body-timeout-ms=2000")
abstract class HostileTestSupport extends HostTestSupport {

	static final int SOCKET_TIMEOUT_MILLIS = 15_000;

	/**
	 * Open a raw connection to the server.
	 */
	Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
		socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
		return socket;
	}

	/**
	 * The head of a POST to a host: request line and headers, each given as
	 * {@code Name: value}, closing the connection after the answer.
	 */
	static String head(String host, String... headers) {
		StringBuilder head = new StringBuilder("POST /hosts/" + host + " HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		return head.append("Connection: close\r\n\r\n").toString();
	}

	/**
	 * Send bytes on a new connection and read what comes back until the server closes the
	 * connection.
	 */
	RawAnswer send(byte[] request) throws IOException {
		try (Socket socket = connect()) {
			try {
				socket.getOutputStream().write(request);
				socket.getOutputStream().flush();
			}
			catch (SocketException ex) {
				// the server may answer and close before it read everything
			}
			return RawAnswer.read(socket.getInputStream());
		}
	}

	/**
	 * The host is OPEN, holds no operation and no slot, and answers a valid request.
	 */
	void assertHostUnharmed() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.mainHost.operations()).as("operations left behind").isEmpty());
		assertThat(this.mainHost.running()).as("running operations").isZero();
		assertThat(this.mainHost.receiving()).as("bodies being received").isZero();
		assertThat(this.mainHost.state()).isEqualTo(HostState.OPEN);
		assertThat(this.mainHost.listenerState()).isEqualTo(ListenerState.OPEN);
		HttpResponse<String> valid = answer(post("main", work("echo")));
		assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
		assertThat(valid.body()).contains("WorkResponse");
		await().atMost(Duration.ofSeconds(15)).until(() -> this.mainHost.operations().isEmpty());
	}

	/**
	 * What a server sent back on a raw connection: its status (0 when it closed the
	 * connection without answering) and everything after the status line.
	 *
	 * @param status the HTTP status, or 0
	 * @param text the headers and body
	 */
	record RawAnswer(int status, String text) {

		static RawAnswer read(InputStream input) throws IOException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				int read;
				while ((read = input.read(buffer)) >= 0) {
					bytes.write(buffer, 0, read);
					if (bytes.size() > 1 << 20) {
						break;
					}
				}
			}
			catch (SocketException ex) {
				// a reset after the answer: keep what arrived
			}
			return parse(bytes.toString(StandardCharsets.ISO_8859_1));
		}

		static RawAnswer parse(String text) {
			if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
				return new RawAnswer(0, text);
			}
			return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text.substring(12));
		}

		@Nullable String header(String name) {
			for (String line : this.text.split("\r\n")) {
				if (line.isEmpty()) {
					return null;
				}
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
					return line.substring(colon + 1).trim();
				}
			}
			return null;
		}

	}

}
