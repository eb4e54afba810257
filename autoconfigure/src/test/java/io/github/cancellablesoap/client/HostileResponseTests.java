package io.github.cancellablesoap.client;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.testsupport.GzipBomb;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.WebServiceTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A hostile SOAP server against a real proxy: everything it controls in a response (the
 * decompressed size, header lines and their number, XML nesting, the content coding) is
 * bounded while it streams in. Each attack fails its call promptly with an error that
 * names the bound, costs a bounded amount of memory, and leaves the proxy OPEN with no
 * call left pending and the next call answered.
 */
class HostileResponseTests {

	private static final Log logger = LogFactory.getLog(HostileResponseTests.class);

	private static final String HEAD_200 = "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n";

	/** Far more than any bounded attack needs, far less than an unbounded one takes. */
	private static final Duration FAST = Duration.ofSeconds(20);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serverless();

	private final ScriptedHttpServer server = this.fixture.closeAfter(ScriptedHttpServer.start(echo()));

	@Test
	void aGzipBombFailsAtTheDecodedSizeBoundInsteadOfInflatingAGigabyte() {
		GzipBomb bomb = GzipBomb.of(envelopeStart(), 1024, (byte) 'a', envelopeEnd());
		serveGzipped(bomb);
		Attempt attempt = attemptFailingAt(
				"Gzip bomb of " + bomb.compressedLength() + " bytes inflating to " + bomb.inflatedLength(),
				"max-response-size (16777216 bytes)");
		// 16 MB decoded, parsed into a DOM, must not cost what a gigabyte would.
		assertThat(attempt.allocatedBytes()).isLessThan(512L * 1024 * 1024);
	}

	@Test
	void aHundredMegabyteHeaderFailsAtTheHeaderLineBound() {
		this.server.setScript((request, out) -> {
			out.write((HEAD_200 + "X-Padding: ").getBytes(StandardCharsets.ISO_8859_1));
			writeRepeated(out, (byte) 'a', 100L * 1024 * 1024);
			out.write("\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		});
		Attempt attempt = attemptFailingAt("100 MB header", "max-response-header-size (65536 bytes)");
		assertThat(attempt.heapPeakGrowth()).isLessThan(100L * 1024 * 1024);
	}

	@Test
	void tenThousandHeadersFailAtTheHeaderCountBound() {
		this.server.setScript((request, out) -> {
			out.write(HEAD_200.getBytes(StandardCharsets.ISO_8859_1));
			for (int i = 0; i < 10_000; i++) {
				out.write(("X-Header-" + i + ": value\r\n").getBytes(StandardCharsets.ISO_8859_1));
			}
			out.write("Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		});
		attemptFailingAt("10,000 headers", "more than max-response-headers (100) headers");
	}

	@Test
	void aHundredThousandNestedElementsFailAtTheDepthBoundWithoutOverflowingTheStack() {
		int depth = 100_000;
		byte[] body = (envelopeStart() + "<a>".repeat(depth) + "</a>".repeat(depth) + envelopeEnd())
			.getBytes(StandardCharsets.UTF_8);
		this.server.setScript((request, out) -> {
			out.write((HEAD_200 + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
		});
		Attempt attempt = attemptFailingAt("100,000 nested elements", "deeper than the limit of 256 (max-xml-depth)");
		assertThat(attempt.failure()).isNotInstanceOf(StackOverflowError.class);
	}

	@Test
	void aContentCodingSpringWsCannotDecodeFailsTheCallNamingIt() {
		this.server.setScript((request, out) -> {
			byte[] body = ProxyFixture.echoResponse().getBytes(StandardCharsets.UTF_8);
			out.write((HEAD_200 + "Content-Encoding: br\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
		});
		attemptFailingAt("Content-Encoding br", "Content-Encoding 'br', which proxies cannot decode");
	}

	@Test
	void aGzipResponseWithinTheBoundsIsDecoded() {
		GzipBomb small = GzipBomb.of(envelopeStart(), 2, (byte) 'a', envelopeEnd());
		serveGzipped(small);
		DefaultServiceProxy proxy = open();
		String answer = ProxyFixture.echo(proxy);
		assertThat(answer.length()).isGreaterThan(2 * 1024 * 1024);
		assertProxyCarriesOn(proxy);
	}

	@Test
	void aResponseStillBeingReadWhenItsCallTimesOutStopsBeingRead() throws Exception {
		GatedMessageFactory factory = new GatedMessageFactory();
		DefaultServiceProxy proxy = open(factory, (settings) -> settings.callTimeout(Duration.ofSeconds(1)));
		PendingCall<String> call = this.fixture.submit(proxy);
		assertThat(factory.reached.await(20, TimeUnit.SECONDS)).isTrue();
		await().atMost(FAST)
			.until(() -> proxy.call(call.callId()).map((info) -> info.elapsed().toMillis() > 1100).orElse(true));
		factory.gate.countDown();
		assertThat(call.result()).failsWithin(FAST)
			.withThrowableThat()
			.withStackTraceContaining("ran out of its call timeout while its response");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
	}

	@Test
	void anAbortAfterTheResponseWonTheRaceChangesNothing() throws Exception {
		GatedMessageFactory factory = new GatedMessageFactory();
		DefaultServiceProxy proxy = open(factory, (settings) -> settings);
		PendingCall<String> call = this.fixture.submit(proxy);
		assertThat(factory.reached.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(proxy.call(call.callId())).get().extracting(CallInfo::phase).isEqualTo(CallPhase.PROCESSING);
		// The response decided the call; its caller reads it within the call's deadline.
		assertThat(proxy.abortCall(call.callId(), "operator")).isFalse();
		factory.gate.countDown();
		assertThat(call.result()).succeedsWithin(FAST).asString().contains("echoResponse");
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
	}

	/**
	 * Make one call against the server's current script, check that it failed at the
	 * named bound and that the proxy carries on, and hand back what the call cost.
	 */
	private Attempt attemptFailingAt(String label, String bound) {
		DefaultServiceProxy proxy = open();
		Attempt attempt = attempt(proxy);
		logger.info(label + ": " + attempt);
		assertThat(attempt.failure()).hasStackTraceContaining(bound);
		assertProxyCarriesOn(proxy);
		return attempt;
	}

	private DefaultServiceProxy open() {
		return this.fixture.open(this.server.uri("/ws"), (settings) -> settings);
	}

	private void serveGzipped(GzipBomb body) {
		this.server.setScript((request, out) -> {
			out.write((HEAD_200 + "Content-Encoding: gzip\r\nContent-Length: " + body.compressedLength() + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			body.writeTo(out);
		});
	}

	private DefaultServiceProxy open(GatedMessageFactory factory, UnaryOperator<ProxySettings.Builder> customizer)
			throws Exception {
		factory.delegate.afterPropertiesSet();
		DefaultServiceProxy proxy = this.fixture.create(
				customizer.apply(ProxySettings.builder("gated", this.server.uri("/ws"))).build(),
				new WebServiceTemplate(factory));
		proxy.open();
		return proxy;
	}

	private void assertProxyCarriesOn(DefaultServiceProxy proxy) {
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
		this.server.setBehaviour(echo());
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(proxy.pendingCalls()).isZero();
	}

	/**
	 * Make one call on a thread of its own (given up on, not waited for, when it takes
	 * too long) and measure what it cost.
	 */
	private static Attempt attempt(ServiceProxy proxy) {
		List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.toList();
		long usedBefore = heap.stream().mapToLong((pool) -> pool.getUsage().getUsed()).sum();
		heap.forEach(MemoryPoolMXBean::resetPeakUsage);
		CompletableFuture<Attempt> attempt = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
			long start = System.nanoTime();
			Throwable failure = catchThrowable(() -> ProxyFixture.echo(proxy));
			long elapsed = System.nanoTime() - start;
			long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
			long peak = heap.stream().mapToLong((pool) -> pool.getPeakUsage().getUsed()).sum();
			attempt
				.complete(new Attempt(failure, TimeUnit.NANOSECONDS.toMillis(elapsed), allocated, peak - usedBefore));
		}, "hostile-response-caller");
		// A daemon: when the bound does not hold, the call may run for minutes after the
		// test gave up on it.
		caller.setDaemon(true);
		caller.start();
		assertThat(attempt).as("the call ends within " + FAST).succeedsWithin(FAST);
		Attempt done = attempt.join();
		if (done.failure() == null) {
			fail("The call succeeded");
		}
		return done;
	}

	private static void writeRepeated(OutputStream out, byte value, long count) throws IOException {
		byte[] chunk = new byte[64 * 1024];
		Arrays.fill(chunk, value);
		for (long written = 0; written < count; written += chunk.length) {
			out.write(chunk, 0, (int) Math.min(chunk.length, count - written));
		}
	}

	private static Behaviour echo() {
		return Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse());
	}

	private static String envelopeStart() {
		return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
				+ "<echoResponse xmlns=\"urn:test\">";
	}

	private static String envelopeEnd() {
		return "</echoResponse></soapenv:Body></soapenv:Envelope>";
	}

	/**
	 * What one hostile call cost: how it failed, how long it took, what its thread
	 * allocated, and how far the heap's peak rose above its use before the call (garbage
	 * not yet collected included, so an upper bound).
	 */
	private record Attempt(@Nullable Throwable failure, long elapsedMillis, long allocatedBytes, long heapPeakGrowth) {

		@Override
		public String toString() {
			return "failed in " + this.elapsedMillis + " ms, caller allocated " + (this.allocatedBytes >> 20)
					+ " MB, heap peak +" + (this.heapPeakGrowth >> 20) + " MB: " + this.failure;
		}

	}

}
