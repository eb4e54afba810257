package io.github.cancellablesoap.server;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Requests a hostile peer would send to a host, on a real Tomcat with raw sockets: each
 * is refused with its status and SOAP fault while it arrives, and leaves the host open,
 * empty and serving.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestTests extends HostileTestSupport {

	private static final Log logger = LogFactory.getLog(HostileRequestTests.class);

	private static final long MB = 1024 * 1024;

	/** Generous: the host may read the limit (10 MB) plus what Tomcat swallows. */
	private static final long HEAP_BOUND = 64 * MB;

	private final ExecutorService writers = Executors.newCachedThreadPool();

	@AfterEach
	void stopWriters() {
		this.writers.shutdownNow();
	}

	@Test
	void aGiantCallTimeoutIsCutToTheMaximumAndEveryOperationIsReleased() throws Exception {
		// one after the other: the test host runs at most 8 operations at once
		for (int i = 0; i < 50; i++) {
			HttpResponse<String> response = answer(
					post("main", work("echo"), Map.of(ServiceHostServlet.CALL_TIMEOUT_HEADER, "9999999999999")));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
		CompletableFuture<HttpResponse<String>> gated = post("main", work("gate"),
				Map.of(ServiceHostServlet.CALL_TIMEOUT_HEADER, "99999999999999999999999999"));
		String id = nextStarted();
		Instant deadline = this.mainHost.operation(id).orElseThrow().deadline();
		assertThat(deadline).as("deadline cut to max-call-timeout")
			.isCloseTo(Instant.now().plus(ServiceHostSettings.DEFAULT_MAX_CALL_TIMEOUT),
					within(1, TimeUnit.MINUTES.toChronoUnit()));
		this.probe.gate.countDown();
		assertThat(answer(gated).statusCode()).isEqualTo(200);
		assertHostUnharmed();
	}

	@Test
	void anOperationRunsLongerThanTheRequestBodyTimeout() throws Exception {
		// the body timeout (2 s here) bounds the body's arrival only, not the operation
		long start = System.nanoTime();
		HttpResponse<String> response = answer(
				post("main", work("cancel"), Map.of(ServiceHostServlet.CALL_TIMEOUT_HEADER, "3500")));
		assertCancelledFault(response, CancelReason.DEADLINE_EXCEEDED);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(3));
		assertHostUnharmed();
	}

	@Test
	void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
		Refusal refusal = sendLargeBodyWatchingTheHeap("100 MB declared body", false, 100 * MB);
		assertThat(refusal.status).isEqualTo(413);
		assertThat(refusal.text).contains("<cs:refused").contains("reason=\"request-too-large\"");
		assertThat(refusal.elapsed).isLessThan(Duration.ofSeconds(10));
		assertBounded(refusal);
	}

	@Test
	void aStreamedBodyPastTheLimitIsRefusedWhileItArrives() throws Exception {
		Refusal refusal = sendLargeBodyWatchingTheHeap("1 GB chunked body", true, 1024 * MB);
		assertThat(refusal.status).as("413, or the connection closed before the answer could be read").isIn(413, 0);
		if (refusal.status == 413) {
			assertThat(refusal.text).contains("reason=\"request-too-large\"");
		}
		assertThat(refusal.elapsed).isLessThan(Duration.ofSeconds(20));
		assertBounded(refusal);
	}

	@Test
	void stalledBodiesHoldNoOperationSlotAndAreAnsweredAtTheBodyTimeout() throws Exception {
		int stalled = 200;
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < stalled; i++) {
				Socket socket = connect();
				sockets.add(socket);
				OutputStream out = socket.getOutputStream();
				out.write((head("main", "Content-Type: text/xml", "Content-Length: 5000") + "<soapenv:Envelope")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.receiving() == stalled);
			assertThat(this.mainHost.operations()).hasSize(stalled);
			HttpResponse<String> normal = answer(post("main", work("echo")));
			assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
			for (Socket socket : sockets) {
				RawAnswer refused = RawAnswer.read(socket.getInputStream());
				assertThat(refused.status()).isEqualTo(408);
				assertThat(refused.text()).contains("reason=\"request-body-timeout\"");
				assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
			}
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
		assertHostUnharmed();
	}

	@Test
	void deepNestingIsRefusedAtOnceWhileItArrives() throws Exception {
		for (int depth : new int[] { 100_000, 10_000 }) {
			String body = envelope("<t:Work xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\" mode=\"echo\">"
					+ "<a>".repeat(depth) + "</a>".repeat(depth) + "</t:Work>");
			long start = System.nanoTime();
			HttpResponse<String> response = answer(post("main", body));
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			assertThat(response.body()).contains("<cs:refused").contains("reason=\"xml-too-deep\"");
			assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
			assertHostUnharmed();
		}
		assertThat(this.probe.started).isEmpty();
	}

	@Test
	void aWrongContentTypeIsRefusedWith415AndNoWarning(CapturedOutput output) throws Exception {
		for (String contentType : new String[] { "Content-Type: application/json", "Content-Type: text/plain",
				"X-No-Content-Type: 1" }) {
			byte[] body = work("echo").getBytes(StandardCharsets.UTF_8);
			RawAnswer answer = send(concat(
					head("main", contentType, "Content-Length: " + body.length).getBytes(StandardCharsets.US_ASCII),
					body));
			assertThat(answer.status()).as(answer.text()).isEqualTo(415);
			assertThat(answer.header("Accept-Post")).contains("text/xml").contains("application/soap+xml");
			assertThat(answer.text()).contains("<cs:refused")
				.contains("reason=\"unsupported-media-type\"")
				.contains("text/xml");
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("Exception");
		assertHostUnharmed();
	}

	/**
	 * Send a large body as {@link #sendLargeBody} does, and measure what it did to the
	 * heap; the numbers go to the log.
	 */
	private Refusal sendLargeBodyWatchingTheHeap(String what, boolean chunked, long size) throws Exception {
		long before = usedHeapAfterGc();
		resetPeaks();
		Refusal sent = sendLargeBody(chunked, size);
		long peak = peakHeap();
		long after = usedHeapAfterGc();
		logger.info(what + ": answered " + sent.status + " after " + sent.elapsed.toMillis()
				+ " ms; the client could write " + sent.written / MB + " MB; heap peak " + (peak - before) / MB
				+ " MB above the used heap before (garbage included); used heap after GC grew by "
				+ (after - before) / MB + " MB");
		return new Refusal(sent.status, sent.text, sent.elapsed, sent.written, after - before);
	}

	/**
	 * The server let in, and kept, no more of a large body than its bound allows, and the
	 * host is unharmed.
	 */
	private void assertBounded(Refusal refusal) throws Exception {
		assertThat(refusal.written).as("bytes the server let in").isLessThan(HEAP_BOUND);
		assertThat(refusal.heapGrowth).as("heap growth").isLessThan(HEAP_BOUND);
		assertHostUnharmed();
	}

	/**
	 * Send a large body on a raw connection from another thread, generated as it is
	 * written, while this thread reads the answer.
	 */
	private Refusal sendLargeBody(boolean chunked, long size) throws Exception {
		AtomicLong written = new AtomicLong();
		try (Socket socket = connect()) {
			String head = chunked ? head("main", "Content-Type: text/xml", "Transfer-Encoding: chunked")
					: head("main", "Content-Type: text/xml", "Content-Length: " + size);
			byte[] start = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
				.getBytes(StandardCharsets.US_ASCII);
			byte[] filler = new byte[64 * 1024];
			Arrays.fill(filler, (byte) 'x');
			long begin = System.nanoTime();
			Future<?> writer = this.writers.submit(() -> {
				OutputStream out = socket.getOutputStream();
				out.write(head.getBytes(StandardCharsets.US_ASCII));
				writeChunk(out, start, chunked);
				written.addAndGet(start.length);
				while (written.get() < size) {
					writeChunk(out, filler, chunked);
					written.addAndGet(filler.length);
				}
				return null;
			});
			RawAnswer answer = RawAnswer.read(socket.getInputStream());
			Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
			socket.close();
			try {
				writer.get(10, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(IOException.class);
			}
			return new Refusal(answer.status(), answer.text(), elapsed, written.get(), 0);
		}
	}

	private static void writeChunk(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
		if (chunked) {
			out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		}
		out.write(bytes);
		if (chunked) {
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		memory.gc();
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static void resetPeaks() {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
			}
		}
	}

	/** The sum of the heap pools' peaks: an upper bound of the heap used at any time. */
	private static long peakHeap() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

	static byte[] concat(byte[] first, byte[] second) {
		byte[] all = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	private record Refusal(int status, String text, Duration elapsed, long written, long heapGrowth) {
	}

}
