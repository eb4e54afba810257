package io.github.cancellablesoap.autoconfigure.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller that closes its connection as soon as it has read its answer (as an HTTP
 * client does after a 500, which Tomcat answers with {@code Connection: close}) has not
 * gone away from a running operation: the operation was answered, so the caller-gone
 * detector, which may still watch the connection while the exchange is being finished,
 * cancels nothing and counts no abort.
 */
@SpringBootTest(classes = CallerLeavingAfterTheAnswerIntegrationTests.FaultApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class CallerLeavingAfterTheAnswerIntegrationTests {

	private static final String NAMESPACE = "urn:fault";

	private static final int REQUESTS = 60;

	@LocalServerPort
	int port;

	@Autowired
	RecordingOperationListener recorder;

	@Test
	void aCallerThatClosesOnceAnsweredIsNotTakenForGone() throws Exception {
		byte[] body = SoapPost.envelope("", "<f:Fail xmlns:f=\"" + NAMESPACE + "\"/>").getBytes(StandardCharsets.UTF_8);
		byte[] head = ("POST /soap HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n"
				+ "SOAPAction: \"\"\r\nContent-Length: " + body.length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < REQUESTS; i++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
				socket.setSoTimeout(20_000);
				OutputStream out = socket.getOutputStream();
				out.write(head);
				out.write(body);
				out.flush();
				InputStream in = socket.getInputStream();
				PipeliningIntegrationTests.Answer answer = PipeliningIntegrationTests.Answer.read(in);
				assertThat(answer.status()).isEqualTo(500);
				assertThat(answer.body()).contains("no such thing");
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.ended.size() == REQUESTS);
		assertThat(this.recorder.ended).extracting(OperationListener.EndedOperation::outcome)
			.containsOnly(OperationOutcome.FAULT);
		assertThat(this.recorder.aborts).isEmpty();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ FailingEndpoint.class, RecordingOperationListener.class })
	static class FaultApplication {

	}

	@Endpoint
	static class FailingEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Fail")
		@ResponsePayload
		Element fail(@RequestPayload Element request) {
			throw new IllegalArgumentException("no such thing");
		}

	}

}
