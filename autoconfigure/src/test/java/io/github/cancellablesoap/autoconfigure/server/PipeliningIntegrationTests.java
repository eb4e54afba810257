package io.github.cancellablesoap.autoconfigure.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two requests written back to back on one keep-alive connection to an auto-configured
 * host on Tomcat, the first to a slow operation: both are answered, in order, on that
 * connection; the slow one is not taken for a gone caller, and the container logs no
 * error.
 */
@SpringBootTest(classes = PipeliningIntegrationTests.SlowApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cancellable-soap.hosts.main.path=/soap")
@ExtendWith(OutputCaptureExtension.class)
class PipeliningIntegrationTests {

	private static final String NAMESPACE = "urn:slow";

	@LocalServerPort
	int port;

	@Autowired
	SlowEndpoint endpoint;

	@Test
	void aRequestPipelinedBehindASlowOperationIsAnsweredAfterIt(CapturedOutput output) throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write((request("slow", "c-first") + request("quick", "c-second")).getBytes(StandardCharsets.UTF_8));
			out.flush();
			String slow = this.endpoint.started.poll(10, TimeUnit.SECONDS);
			assertThat(slow).as("the slow operation started").isNotNull();
			this.endpoint.release.countDown();
			InputStream in = socket.getInputStream();
			Answer first = Answer.read(in);
			Answer second = Answer.read(in);
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.body()).contains("mode=\"slow\"").contains("callerCallId=\"c-first\"");
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.body()).contains("mode=\"quick\"").contains("callerCallId=\"c-second\"");
		}
		assertThat(this.endpoint.cancels).isEmpty();
		assertThat(output).doesNotContain("Error finishing request").doesNotContain("newPosition");
	}

	private static String request(String mode, String callId) {
		byte[] body = SoapPost.envelope("", "<s:Work xmlns:s=\"" + NAMESPACE + "\" mode=\"" + mode + "\"/>")
			.getBytes(StandardCharsets.UTF_8);
		return "POST /soap HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n"
				+ "SOAPAction: \"\"\r\nSoap-Call-Id: " + callId + "\r\nContent-Length: " + body.length + "\r\n\r\n"
				+ new String(body, StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SlowApplication {

		@Bean
		SlowEndpoint slowEndpoint() {
			return new SlowEndpoint();
		}

	}

	/**
	 * Answers {@code quick} at once and {@code slow} once the test releases it (bounded),
	 * recording any cancellation.
	 */
	@Endpoint
	static class SlowEndpoint {

		final BlockingQueue<String> started = new LinkedBlockingQueue<>();

		final Queue<CancelReason> cancels = new ConcurrentLinkedQueue<>();

		final CountDownLatch release = new CountDownLatch(1);

		@PayloadRoot(namespace = NAMESPACE, localPart = "Work")
		@ResponsePayload
		Element work(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			String mode = request.getAttribute("mode");
			context.onCancel(this.cancels::add);
			if ("slow".equals(mode)) {
				this.started.add(context.operationId());
				this.release.await(10, TimeUnit.SECONDS);
			}
			Element response = request.getOwnerDocument().createElementNS(NAMESPACE, "s:WorkResponse");
			response.setAttribute("mode", mode);
			response.setAttribute("callerCallId", context.callerCallId().orElse(""));
			return response;
		}

	}

	/**
	 * One HTTP/1.1 response read off a raw connection, with a fixed-length or chunked
	 * body.
	 */
	record Answer(int status, Map<String, String> headers, String body) {

		static Answer read(InputStream in) throws IOException {
			int status = Integer.parseInt(line(in).split(" ")[1]);
			Map<String, String> headers = new TreeMap<>();
			for (String line = line(in); !line.isEmpty(); line = line(in)) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
					body.write(exactly(in, size));
					line(in);
				}
				line(in);
			}
			else if (headers.containsKey("content-length")) {
				body.write(exactly(in, Integer.parseInt(headers.get("content-length"))));
			}
			return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
		}

		private static int chunkSize(InputStream in) throws IOException {
			return Integer.parseInt(line(in).trim(), 16);
		}

		private static byte[] exactly(InputStream in, int length) throws IOException {
			byte[] bytes = in.readNBytes(length);
			if (bytes.length < length) {
				throw new EOFException("Got " + bytes.length + " of " + length + " bytes");
			}
			return bytes;
		}

		private static String line(InputStream in) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int next = in.read(); next != '\n'; next = in.read()) {
				if (next == -1) {
					throw new EOFException("End of stream within a line");
				}
				if (next != '\r') {
					line.write(next);
				}
			}
			return line.toString(StandardCharsets.ISO_8859_1);
		}

	}

}
