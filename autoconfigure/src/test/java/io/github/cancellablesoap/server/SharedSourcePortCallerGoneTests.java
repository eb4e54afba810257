package io.github.cancellablesoap.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;
import io.github.cancellablesoap.testsupport.SharedSourcePortSockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two callers of a real Tomcat whose connections share their source port (from 127.0.0.2
 * and 127.0.0.3): the kernel-table detector cancels exactly the operation of the one that
 * left.
 */
@TestPropertySource(properties = "test.caller-gone-detector=proc")
class SharedSourcePortCallerGoneTests extends HostTestSupport {

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(ProcNetTcpDetector.isSupported(), "needs /proc/net/tcp");
	}

	@Test
	void onlyTheOperationOfTheCallerThatLeftIsCancelled() throws Exception {
		List<Socket> callers = SharedSourcePortSockets.connect(new InetSocketAddress("127.0.0.1", this.port));
		try (Socket first = callers.get(0); Socket second = callers.get(1)) {
			assertThat(first.getLocalPort()).isEqualTo(second.getLocalPort());
			send(first, work("cancel"));
			String firstId = nextStarted();
			send(second, work("cancel"));
			String secondId = nextStarted();

			first.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.cancelNanos.containsKey(firstId));
			assertThat(this.probe.cancels.get(firstId)).isEqualTo(CancelReason.CALLER_GONE);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operation(firstId).isEmpty());
			assertThat(this.probe.cancels).as("the second caller is still there").doesNotContainKey(secondId);
			assertThat(this.mainHost.operation(secondId)).isPresent();

			second.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.cancelNanos.containsKey(secondId));
			assertThat(this.probe.cancels.get(secondId)).isEqualTo(CancelReason.CALLER_GONE);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operations().isEmpty());
	}

	private static void send(Socket socket, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = "POST /hosts/main HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n"
				+ "SOAPAction: \"\"\r\nContent-Length: " + bytes.length + "\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
	}

}
