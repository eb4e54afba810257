package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operation is sealed before its answer is written: a cancel that arrives while a
 * success is being sent (here held up by a caller that does not read a large answer)
 * loses, runs no cancel callback, counts no abort, and the caller gets the success.
 */
class CancelAfterAnswerTests extends HostTestSupport {

	/**
	 * Larger than any send buffer the kernel gives a loopback socket (4 MB at most), so
	 * the write must block while the caller does not read.
	 */
	private static final int ANSWER_KILOBYTES = 6 * 1024;

	private final Queue<OperationListener.AbortEvent> aborts = new ConcurrentLinkedQueue<>();

	@AfterEach
	void stopListening() {
		this.mainHost.setOperationListener(OperationListener.NONE);
	}

	@Test
	void aCancelWhileTheSuccessIsBeingWrittenLosesAndRunsNothing() throws Exception {
		this.mainHost.setOperationListener(new OperationListener() {

			@Override
			public void aborted(AbortEvent event) {
				CancelAfterAnswerTests.this.aborts.add(event);
			}

		});
		String request = work("large").replace("mode=\"large\"",
				"mode=\"large\" kilobytes=\"" + ANSWER_KILOBYTES + "\"");
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(4096);
			socket.setSoTimeout(20_000);
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			send(socket, "main", request, "Connection: close");
			String id = nextStarted();
			InputStream in = socket.getInputStream();
			// the first bytes of the answer arrived: it is being written, and the rest
			// cannot be until we read
			byte[] first = new byte[12];
			readFully(in, first);
			assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
			assertThat(this.mainHost.operation(id)).as("the operation is still writing its answer").isPresent();

			assertThat(this.mainHost.cancel(id, "too late")).isFalse();

			// read the rest at full speed: a larger window again
			socket.setReceiveBufferSize(4 << 20);
			String rest = readToEnd(in);
			assertThat(rest).contains("WorkResponse").doesNotContain("cancelled");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.completed.contains(id));
			assertThat(this.probe.cancels).doesNotContainKey(id);
			assertThat(this.aborts).isEmpty();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operation(id).isEmpty());
		}
	}

	private static void readFully(InputStream in, byte[] buffer) throws IOException {
		int at = 0;
		while (at < buffer.length) {
			int read = in.read(buffer, at, buffer.length - at);
			if (read < 0) {
				throw new IOException("Connection closed after " + at + " bytes");
			}
			at += read;
		}
	}

	private static String readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		return all.toString(StandardCharsets.UTF_8);
	}

}
