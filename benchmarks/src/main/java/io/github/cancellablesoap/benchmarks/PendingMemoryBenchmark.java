package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;

import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;
import org.springframework.xml.transform.TransformerHelper;

/**
 * Measures what a call of the proxy's non-blocking form ({@code sendSourceAsync}) costs
 * while it is pending, next to the transport's own cost: plain HttpClient 5 asynchronous
 * requests with the same body (each its own copy, as a client that builds each request's
 * body has) to the same server, as many at once.
 * <p>
 * For each of the two, {@code N} calls are started against a {@link SilentServer} in a
 * child JVM (it reads and never answers; {@code N} sockets on each side would not fit in
 * one process's file limit), and once every request has reached the server the heap is
 * measured after garbage collection; the difference with the heap after collection with
 * no call pending, divided by {@code N}, is the memory per pending call. The proxy's
 * figure less the transport's is what the proxy adds (the goal is at most 1 KiB). Also
 * reported: the threads alive while the calls are pending (both forms hold none per
 * call), and the time from one abort of everything (a proxy abort; for the plain client,
 * every future cancelled, which releases its caller but leaves its connection open, then
 * the client closed at once, which closes the connections but tells no caller) until the
 * last result completed and until the server saw the last socket closed (for the plain
 * client only when it saw them within 30 s: HttpCore's immediate close can break its I/O
 * reactor and leave connections open; the table then shows NaN).
 * <p>
 * {@link #measure(int)} runs the whole measurement and returns it as a {@link Result},
 * for harnesses that gather figures from several benchmarks; {@link #main} prints it as a
 * table. {@code -Dbench.sizes=10000} sets {@code N} (the largest size listed).
 * <p>
 * About 430 lines, in one file so that a harness calls one method: both sides (proxy and
 * plain client), the waits on the server's counters and the table.
 * <p>
 * Not thread-safe: one measurement at a time, on the caller's thread.
 *
 * @author Cancellable SOAP
 */
public final class PendingMemoryBenchmark {

	private static final String PAYLOAD = "<s:Pending xmlns:s=\"urn:cancellable-soap:bench:pending\">"
			+ "<s:note>The server reads this and never answers.</s:note></s:Pending>";

	/** The envelope the proxy sends for {@link #PAYLOAD}, for the plain client. */
	private static final byte[] ENVELOPE = ("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<SOAP-ENV:Header/><SOAP-ENV:Body>" + PAYLOAD + "</SOAP-ENV:Body></SOAP-ENV:Envelope>")
		.getBytes(StandardCharsets.UTF_8);

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(180);

	private PendingMemoryBenchmark() {
	}

	/**
	 * Run the benchmark and print its table.
	 * @param args ignored
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		int calls = 10_000;
		String sizes = System.getProperty("bench.sizes", "");
		if (!sizes.isBlank() && !sizes.equals("1,100,1000,10000")) {
			for (String size : sizes.split(",")) {
				calls = Integer.parseInt(size.trim());
			}
		}
		BenchReport report = new BenchReport();
		report.header("Cancellable SOAP pending-call memory: the non-blocking form next to plain HttpClient 5 async");
		report.out().printf(Locale.ROOT, "calls       %d pending at once, to a silent server in a child JVM%n", calls);
		report.out().printf(Locale.ROOT, "heap        max %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
		report.headerEnd();
		Result result = measure(calls);
		print(report.out(), result);
		report.result(result.clean(), "every pending call was released by the abort and its socket closed");
	}

	/**
	 * Measure the proxy's non-blocking form and the plain transport with {@code calls}
	 * pending calls each.
	 * @param calls how many calls are pending at once
	 * @return the figures
	 * @throws Exception when the benchmark itself breaks
	 */
	public static Result measure(int calls) throws Exception {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		double loadBefore = os.getSystemLoadAverage();
		try (SilentServerProcess server = SilentServerProcess.start()) {
			// the proxy first: closing a plain client at once can break its I/O reactor
			// (a ConcurrentModificationException in HttpCore's select loop), leaving its
			// connections open for the rest of the run
			Side proxy = measureProxy(server, calls);
			Side transport = measureTransport(server, calls);
			return new Result(calls, proxy.bytesPerCall(), transport.bytesPerCall(),
					proxy.bytesPerCall() - transport.bytesPerCall(), proxy.threads(), transport.threads(),
					proxy.releasedMillis(), proxy.closedMillis(), transport.releasedMillis(), transport.closedMillis(),
					proxy.clean() && transport.clean(), loadBefore, os.getSystemLoadAverage());
		}
	}

	private static Side measureProxy(SilentServerProcess server, int calls) throws Exception {
		CancellationTimer timer = new CancellationTimer("pending");
		ExecutorService completion = completionThreads();
		DefaultServiceProxy proxy = ServiceProxyFactory.create(ProxySettings.builder("pending", server.address())
			.maxPendingCalls(calls + 16)
			.callTimeout(Duration.ofMinutes(10))
			.build(), new WebServiceTemplate(), timer);
		try {
			proxy.open();
			// warm up: classes, the reactor's threads, the timer, a completion thread
			int warmedBefore = stats(server).withRequest();
			for (int i = 0; i < 50; i++) {
				PendingCall<String> warm = send(proxy, completion);
				awaitRequests(server, warmedBefore + i + 1);
				warm.cancel(true);
				await(() -> warm.result().isDone(), "a warm-up call to end");
			}
			await(() -> proxy.pendingCalls() == 0, "the warm-up calls to leave");
			int closedBefore = awaitSettled(server);
			long before = heapAfterGc();
			int requestsBefore = stats(server).withRequest();
			List<PendingCall<String>> pending = new ArrayList<>(calls);
			for (int i = 0; i < calls; i++) {
				pending.add(send(proxy, completion));
			}
			awaitRequests(server, requestsBefore + calls);
			long during = heapAfterGc();
			int threads = Thread.activeCount();
			AtomicLong lastRelease = new AtomicLong();
			AtomicInteger wrong = new AtomicInteger();
			List<CompletableFuture<?>> released = new ArrayList<>(calls);
			for (PendingCall<String> call : pending) {
				released.add(call.result().whenComplete((result, failure) -> {
					lastRelease.accumulateAndGet(System.nanoTime(), Math::max);
					if (!(failure instanceof CallAbortedException)) {
						wrong.incrementAndGet();
					}
				}));
			}
			long t0 = System.nanoTime();
			proxy.abort("bench");
			await(() -> released.stream().allMatch(CompletableFuture::isDone), "every proxy call to be released");
			SilentServerProcess.Stats stats = awaitCloses(server, closedBefore + calls);
			await(() -> proxy.pendingCalls() == 0, "every proxy call to leave the registry");
			return new Side((double) (during - before) / calls, threads, millis(lastRelease.get() - t0),
					millis(stats.lastCloseNanos() - t0), wrong.get() == 0);
		}
		finally {
			proxy.abort("bench over");
			proxy.close();
			completion.shutdownNow();
			timer.shutdown();
		}
	}

	private static PendingCall<String> send(DefaultServiceProxy proxy, ExecutorService completion) {
		return proxy.sendSourceAsync(new StringSource(PAYLOAD), (source) -> {
			StringResult result = new StringResult();
			new TransformerHelper().transform(source, result);
			return result.toString();
		}, completion);
	}

	private static Side measureTransport(SilentServerProcess server, int calls) throws Exception {
		URI address = server.address();
		AtomicLong lastRelease = new AtomicLong();
		AtomicInteger wrong = new AtomicInteger();
		AtomicInteger ended = new AtomicInteger();
		FutureCallback<Message<HttpResponse, Void>> callback = new FutureCallback<>() {

			@Override
			public void completed(Message<HttpResponse, Void> result) {
				wrong.incrementAndGet();
				ended.incrementAndGet();
			}

			@Override
			public void failed(Exception ex) {
				released();
			}

			@Override
			public void cancelled() {
				released();
			}

			private void released() {
				lastRelease.accumulateAndGet(System.nanoTime(), Math::max);
				ended.incrementAndGet();
			}

		};
		// warm up on a client of its own: a cancelled HttpClient future leaves its
		// connection open, closing the client closes them all
		CloseableHttpAsyncClient warm = plainClient(calls);
		int warmedBefore = stats(server).withRequest();
		for (int i = 0; i < 50; i++) {
			Future<?> request = execute(warm, address, callback);
			awaitRequests(server, warmedBefore + i + 1);
			request.cancel(true);
		}
		warm.close(CloseMode.IMMEDIATE);
		await(() -> ended.get() == 50, "the warm-up requests to end");
		ended.set(0);
		awaitAtMost(() -> stats(server).accepted() == stats(server).closed(), TimeUnit.SECONDS.toNanos(10));
		int closedBefore = stats(server).closed();
		CloseableHttpAsyncClient client = plainClient(calls);
		try {
			long before = heapAfterGc();
			int requestsBefore = stats(server).withRequest();
			List<Future<?>> pending = new ArrayList<>(calls);
			for (int i = 0; i < calls; i++) {
				pending.add(execute(client, address, callback));
			}
			awaitRequests(server, requestsBefore + calls);
			long during = heapAfterGc();
			int threads = Thread.activeCount();
			// the transport's own abort of everything: each future cancelled (which
			// releases its caller but leaves its connection open), then the client
			// closed at once (which closes the connections but tells no caller)
			long t0 = System.nanoTime();
			for (Future<?> request : pending) {
				request.cancel(true);
			}
			client.close(CloseMode.IMMEDIATE);
			await(() -> ended.get() == calls, "every plain request to be released");
			boolean closed = awaitAtMost(() -> stats(server).closed() >= closedBefore + calls,
					TimeUnit.SECONDS.toNanos(30));
			double closedMillis = closed ? millis(stats(server).lastCloseNanos() - t0) : Double.NaN;
			return new Side((double) (during - before) / calls, threads, millis(lastRelease.get() - t0), closedMillis,
					wrong.get() == 0 && pending.size() == calls);
		}
		finally {
			client.close(CloseMode.IMMEDIATE);
		}
	}

	private static CloseableHttpAsyncClient plainClient(int calls) {
		PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
			.setMaxConnTotal(calls + 16)
			.setMaxConnPerRoute(calls + 16)
			.build();
		CloseableHttpAsyncClient client = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1,
				H2Config.DEFAULT, Http1Config.DEFAULT, IOReactorConfig.custom().setTcpNoDelay(true).build(),
				connections);
		client.start();
		return client;
	}

	private static Future<?> execute(CloseableHttpAsyncClient client, URI address,
			FutureCallback<Message<HttpResponse, Void>> callback) {
		BasicHttpRequest request = new BasicHttpRequest(Method.POST, address);
		request.addHeader("SOAPAction", "\"\"");
		return client.execute(
				new BasicRequestProducer(request,
						AsyncEntityProducers.create(ENVELOPE.clone(),
								ContentType.create("text/xml", StandardCharsets.UTF_8))),
				new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), callback);
	}

	private static ExecutorService completionThreads() {
		AtomicInteger count = new AtomicInteger();
		return Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "pending-completion-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The heap in use after collection: collected until two readings in a row agree
	 * within 1 %, at most ten times.
	 */
	private static long heapAfterGc() {
		long previous = Long.MAX_VALUE;
		for (int i = 0; i < 10; i++) {
			System.gc();
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (Math.abs(previous - used) < used / 100) {
				return Math.min(previous, used);
			}
			previous = used;
		}
		return previous;
	}

	private static void awaitRequests(SilentServerProcess server, int count) {
		await(() -> stats(server).withRequest() >= count, count + " requests to reach the server");
	}

	/**
	 * Wait until the server saw every earlier connection closed.
	 * @return the server's close count
	 */
	private static int awaitSettled(SilentServerProcess server) {
		await(() -> {
			SilentServerProcess.Stats stats = stats(server);
			return stats.accepted() == stats.closed();
		}, "earlier connections to close");
		return stats(server).closed();
	}

	private static SilentServerProcess.Stats awaitCloses(SilentServerProcess server, int closed) {
		await(() -> stats(server).closed() >= closed, "the server to see " + closed + " connections closed");
		return stats(server);
	}

	private static SilentServerProcess.Stats stats(SilentServerProcess server) {
		try {
			return server.stats();
		}
		catch (IOException ex) {
			throw new IllegalStateException("the silent server is gone", ex);
		}
	}

	private static boolean awaitAtMost(BooleanSupplier condition, long nanos) {
		long deadline = System.nanoTime() + nanos;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
		}
		return true;
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + WAIT_NANOS;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						"waited " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s for " + what);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
		}
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static void print(PrintStream out, Result result) {
		out.printf(Locale.ROOT, "%-34s %14s %14s %12s%n", "", "proxy async", "plain HC5", "difference");
		out.printf(Locale.ROOT, "%-34s %14.0f %14.0f %12.0f%n", "heap per pending call (bytes)",
				result.proxyBytesPerCall(), result.transportBytesPerCall(), result.differenceBytesPerCall());
		out.printf(Locale.ROOT, "%-34s %14d %14d%n", "live threads while pending", result.proxyThreads(),
				result.transportThreads());
		out.printf(Locale.ROOT, "%-34s %14.1f %14.1f%n", "abort all: last result (ms)", result.proxyReleasedMillis(),
				result.transportReleasedMillis());
		out.printf(Locale.ROOT, "%-34s %14.1f %14.1f%n", "abort all: last socket closed (ms)",
				result.proxyClosedMillis(), result.transportClosedMillis());
		out.printf(Locale.ROOT, "goal        at most 1024 bytes per pending call beyond the transport's: %s (%.0f)%n",
				(result.differenceBytesPerCall() <= 1024) ? "met" : "not met", result.differenceBytesPerCall());
		out.printf(Locale.ROOT, "load        system load average %.2f before the measurement%n", result.loadBefore());
	}

	/**
	 * The figures of one measurement.
	 *
	 * @param calls how many calls were pending at once
	 * @param proxyBytesPerCall heap per pending call of the proxy's non-blocking form
	 * @param transportBytesPerCall heap per pending plain HttpClient 5 async request
	 * @param differenceBytesPerCall what the proxy adds per pending call (goal: at most
	 * 1024)
	 * @param proxyThreads live threads of the JVM while the proxy's calls were pending
	 * @param transportThreads live threads while the plain requests were pending
	 * @param proxyReleasedMillis from the proxy abort to the last result completed
	 * @param proxyClosedMillis from the proxy abort to the last socket closed, seen by
	 * the server
	 * @param transportReleasedMillis from the plain client's abort (futures cancelled,
	 * client closed) to the last request's cancellation
	 * @param transportClosedMillis from the plain client's abort to the last socket
	 * closed, seen by the server
	 * @param clean whether every call ended as expected (aborted, never answered)
	 * @param loadBefore the system load average before the measurement
	 * @param loadAfter the system load average after it
	 */
	public record Result(int calls, double proxyBytesPerCall, double transportBytesPerCall,
			double differenceBytesPerCall, int proxyThreads, int transportThreads, double proxyReleasedMillis,
			double proxyClosedMillis, double transportReleasedMillis, double transportClosedMillis, boolean clean,
			double loadBefore, double loadAfter) {

	}

	/**
	 * What one side measured.
	 */
	private record Side(double bytesPerCall, int threads, double releasedMillis, double closedMillis, boolean clean) {

	}

}
