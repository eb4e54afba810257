package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.cancellablesoap.benchmarks.Anomalies.BrokenRun;
import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.CurrentCall;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * Measures the operator verbs with many calls pending, next to grpc-java's
 * {@code shutdownNow()} with as many hung calls, in one run:
 * <ul>
 * <li>abandon of one call while {@code N} are pending: time to its caller's release;</li>
 * <li>listing the {@code N} calls through the actuator
 * ({@code GET /actuator/soapcalls/proxies/scale?limit=N}, whole answer read);</li>
 * <li>proxy abort with {@code N} pending calls: first and last caller released, last
 * socket seen closed by the server;</li>
 * <li>grpc-java: {@code N} unary calls to a method that never answers, on one channel;
 * {@code ManagedChannel#shutdownNow()}: last caller's {@code onError}, last server
 * {@code onCancelHandler}.</li>
 * </ul>
 * The proxy is declared in a Spring Boot application with the actuator, meters and
 * observations on, as a user has it. Its calls go to a {@link SilentServer} in a child
 * JVM (ten thousand connections do not fit in one process's file limit here), which notes
 * each close with the system-wide monotonic clock. Callers are platform threads, or
 * virtual threads with {@code -Dbench.threads=virtual} (Java 21 or later). The sizes are
 * {@code -Dbench.sizes=1,100,1000,10000} by default. Every outcome is checked; any
 * anomaly makes the program print {@code RESULT FAILED} and exit with status 1.
 *
 * @author Cancellable SOAP
 */
public final class ScaleBenchmark {

	private static final String REQUEST = "<s:Scale xmlns:s=\"urn:cancellable-soap:bench:scale\">"
			+ "<s:note>The server reads this and never answers.</s:note></s:Scale>";

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);

	private final BenchReport report = new BenchReport();

	private final Anomalies anomalies = new Anomalies();

	private final int[] sizes;

	private final boolean virtual;

	private final int abandons;

	private final int aborts;

	private final Executor callers;

	private ScaleBenchmark(int[] sizes, boolean virtual, boolean quick) {
		this.sizes = sizes;
		this.virtual = virtual;
		this.abandons = quick ? 20 : 200;
		this.aborts = quick ? 1 : 5;
		this.callers = virtual ? new VirtualThreadTaskExecutor("scale-caller-")
				: Executors.newCachedThreadPool((task) -> {
					Thread thread = new Thread(task, "scale-caller");
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Run the benchmark.
	 * @param args ignored
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1,100,1000,10000").split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		boolean quick = Boolean.getBoolean("bench.quick");
		new ScaleBenchmark(sizes, "virtual".equals(System.getProperty("bench.threads")), quick).run();
	}

	private void run() throws Exception {
		int most = Arrays.stream(this.sizes).max().orElse(1);
		List<Row> rows = new ArrayList<>();
		PeerRecords records = new PeerRecords();
		try (SilentServerProcess server = SilentServerProcess.start();
				Scale app = Scale.start(server.address(), most + this.abandons + 16);
				GrpcPeers grpc = GrpcPeers.start(records)) {
			printHeader(server.address());
			try {
				for (int size : this.sizes) {
					rows.add(measure(size, app, server, grpc, records));
				}
			}
			catch (BrokenRun ex) {
				this.anomalies.add("run stopped: " + ex.getMessage());
			}
		}
		printTable(rows);
		this.report.result(printChecks(), "every caller was released with the expected exception");
	}

	private Row measure(int size, Scale app, SilentServerProcess server, GrpcPeers grpc, PeerRecords records)
			throws Exception {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT, "# %d pending calls%n", size);
		Row row = new Row(size);
		ServiceProxy proxy = app.proxy();
		List<Caller> pending = start(proxy, size);
		awaitWaiting(proxy, size);
		for (int i = 0; i < 10; i++) {
			row.listing.add(app.list(size, this.anomalies));
		}
		for (int i = 0; i < this.abandons; i++) {
			int slot = i % size;
			Caller caller = pending.get(slot);
			long t0 = System.nanoTime();
			if (!proxy.abandon(caller.id())) {
				this.anomalies.add("abandon of " + caller.id() + " returned false");
			}
			Caller.Release release = caller.awaitRelease();
			row.abandon.add(release.nanos() - t0);
			expect(release, CallAbandonedException.class, caller);
			proxy.abortCall(caller.id(), "abandoned I/O no longer needed");
			Caller replacement = new Caller(proxy);
			this.callers.execute(replacement);
			replacement.awaitId();
			pending.set(slot, replacement);
			awaitWaiting(proxy, size);
		}
		for (int repetition = 0; repetition < this.aborts; repetition++) {
			if (repetition > 0) {
				pending = start(proxy, size);
				awaitWaiting(proxy, size);
			}
			int closedBefore = awaitClosesSettled(server, proxy);
			long t0 = System.nanoTime();
			if (!proxy.abort("bench")) {
				this.anomalies.add("abort of the proxy returned false");
			}
			long first = Long.MAX_VALUE;
			long last = 0;
			for (Caller caller : pending) {
				Caller.Release release = caller.awaitRelease();
				first = Math.min(first, release.nanos());
				last = Math.max(last, release.nanos());
				expect(release, CallAbortedException.class, caller);
			}
			SilentServerProcess.Stats stats = awaitCloses(server, closedBefore + size);
			row.abortFirst.add(first - t0);
			row.abortAll.add(last - t0);
			row.abortClosed.add(stats.lastCloseNanos() - t0);
			proxy.reset();
			proxy.open();
		}
		for (int repetition = 0; repetition < this.aborts; repetition++) {
			grpcShutdownNow(size, grpc, records, repetition, row);
		}
		return row;
	}

	private void grpcShutdownNow(int size, GrpcPeers grpc, PeerRecords records, int repetition, Row row)
			throws InterruptedException {
		ManagedChannel channel = grpc.newChannel();
		CountDownLatch released = new CountDownLatch(size);
		AtomicLong lastRelease = new AtomicLong();
		AtomicInteger answered = new AtomicInteger();
		List<PeerRecords.Record> server = new ArrayList<>(size);
		String prefix = "s" + size + "-" + repetition + "-";
		for (int i = 0; i < size; i++) {
			server.add(records.of("gc:" + prefix + i));
			GrpcPeers.hang(channel, prefix + i, new StreamObserver<>() {

				@Override
				public void onNext(byte[] value) {
					answered.incrementAndGet();
				}

				@Override
				public void onError(Throwable error) {
					lastRelease.accumulateAndGet(System.nanoTime(), Math::max);
					released.countDown();
				}

				@Override
				public void onCompleted() {
					answered.incrementAndGet();
					released.countDown();
				}

			});
		}
		for (PeerRecords.Record record : server) {
			if (!record.awaitRunning(120, TimeUnit.SECONDS)) {
				throw new BrokenRun("grpc calls did not all reach the server");
			}
		}
		long t0 = System.nanoTime();
		channel.shutdownNow();
		if (!released.await(120, TimeUnit.SECONDS)) {
			throw new BrokenRun("grpc callers were not all released");
		}
		long lastCancel = 0;
		for (PeerRecords.Record record : server) {
			if (!record.awaitCancelled(120, TimeUnit.SECONDS)) {
				throw new BrokenRun("the grpc server did not see every cancel");
			}
			lastCancel = Math.max(lastCancel, record.cancelledAt());
		}
		for (int i = 0; i < size; i++) {
			records.remove("gc:" + prefix + i);
		}
		if (answered.get() > 0) {
			this.anomalies.add(answered.get() + " grpc calls were answered");
		}
		row.grpcReleased.add(lastRelease.get() - t0);
		row.grpcCancelled.add(lastCancel - t0);
		channel.awaitTermination(10, TimeUnit.SECONDS);
	}

	private List<Caller> start(ServiceProxy proxy, int size) {
		List<Caller> started = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Caller caller = new Caller(proxy);
			this.callers.execute(caller);
			started.add(caller);
		}
		for (Caller caller : started) {
			caller.awaitId();
		}
		return started;
	}

	private void awaitWaiting(ServiceProxy proxy, int size) {
		await(() -> proxy.calls()
			.stream()
			.filter((call) -> call.phase() == CallPhase.WAITING_FOR_RESPONSE)
			.count() == size && proxy.pendingCalls() == size, size + " calls waiting for their responses");
	}

	/**
	 * Wait until the server saw every earlier connection close (the abandoned calls'
	 * connections, aborted one by one).
	 * @return the server's close count
	 */
	private int awaitClosesSettled(SilentServerProcess server, ServiceProxy proxy) throws IOException {
		int[] closed = new int[1];
		await(() -> {
			try {
				SilentServerProcess.Stats stats = server.stats();
				closed[0] = stats.closed();
				return stats.accepted() - stats.closed() == proxy.pendingCalls();
			}
			catch (IOException ex) {
				throw new BrokenRun("the silent server is gone: " + ex);
			}
		}, "earlier connections closed");
		return closed[0];
	}

	private SilentServerProcess.Stats awaitCloses(SilentServerProcess server, int closed) {
		SilentServerProcess.Stats[] last = new SilentServerProcess.Stats[1];
		await(() -> {
			try {
				last[0] = server.stats();
				return last[0].closed() >= closed;
			}
			catch (IOException ex) {
				throw new BrokenRun("the silent server is gone: " + ex);
			}
		}, "the server to see " + closed + " connections closed");
		return last[0];
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + WAIT_NANOS;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new BrokenRun("waited " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s for " + what);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
		}
	}

	private void expect(Caller.Release release, Class<? extends Exception> type, Caller caller) {
		if (!type.isInstance(release.thrown())) {
			this.anomalies
				.add("call " + caller.id() + " ended with " + release.thrown() + ", not " + type.getSimpleName());
		}
	}

	private void printHeader(URI server) {
		PrintStream out = this.report.out();
		this.report.header("Cancellable SOAP scale benchmark: verbs with many pending calls, next to grpc-java");
		out.printf(Locale.ROOT,
				"server      SilentServer in a child JVM at %s (one selector thread; reads, never answers)%n", server);
		out.println("proxy       'scale', declared in a Spring Boot application with the actuator, meters and"
				+ " observations on; call timeout 10 min");
		out.printf(Locale.ROOT, "callers     %s threads, one synchronous call each%n",
				this.virtual ? "virtual" : "platform");
		out.printf(Locale.ROOT, "grpc        grpc-java %s, Netty, one plaintext channel per repetition%n",
				ManagedChannel.class.getPackage().getImplementationVersion());
		out.printf(Locale.ROOT, "mode        sizes %s; %d abandons, 10 listings, %d aborts per size%n",
				Arrays.toString(this.sizes), this.abandons, this.aborts);
		this.report.headerEnd();
	}

	private void printTable(List<Row> rows) {
		PrintStream out = this.report.out();
		out.println();
		out.println(
				"Milliseconds; abandon and listing: p50 / p99 (max for listings); aborts: median of the repetitions");
		out.println();
		out.printf(Locale.ROOT, "%7s %17s %17s %11s %11s %11s %11s %11s %8s%n", "pending", "abandon p50/p99",
				"list p50/max", "abort 1st", "abort all", "all closed", "grpc all", "grpc srv", "ratio");
		for (Row row : rows) {
			double closed = millis(row.abortClosed.percentile(0.5));
			double grpc = millis(row.grpcCancelled.percentile(0.5));
			out.printf(Locale.ROOT, "%7d %8.3f/%8.3f %8.2f/%8.2f %11.2f %11.2f %11.2f %11.2f %11.2f %8.2f%n", row.size,
					millis(row.abandon.percentile(0.5)), millis(row.abandon.percentile(0.99)),
					millis(row.listing.percentile(0.5)), millis(row.listing.percentile(1.0)),
					millis(row.abortFirst.percentile(0.5)), millis(row.abortAll.percentile(0.5)), closed,
					millis(row.grpcReleased.percentile(0.5)), grpc, (grpc > 0) ? closed / grpc : Double.NaN);
		}
		out.println();
		out.println("abort 1st/all: first/last caller released; all closed: last socket the server saw closed;");
		out.println("grpc all: last caller's onError after shutdownNow(); grpc srv: last server onCancelHandler;");
		out.println("ratio: all closed / grpc srv");
		out.println();
	}

	private boolean printChecks() {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT, "checks      %d anomalies%n", this.anomalies.count());
		for (String anomaly : this.anomalies.listed()) {
			out.printf(Locale.ROOT, "            %s%n", anomaly);
		}
		return this.anomalies.count() == 0;
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	/**
	 * One size's measurements.
	 */
	private static final class Row {

		final int size;

		final Samples abandon = new Samples();

		final Samples listing = new Samples();

		final Samples abortFirst = new Samples();

		final Samples abortAll = new Samples();

		final Samples abortClosed = new Samples();

		final Samples grpcReleased = new Samples();

		final Samples grpcCancelled = new Samples();

		Row(int size) {
			this.size = size;
		}

	}

	/**
	 * One synchronous call on its own thread: it publishes its call id from the request
	 * callback and its release from its catch block.
	 * <p>
	 * Thread-safe.
	 */
	private static final class Caller implements Runnable {

		private final ServiceProxy proxy;

		private final CompletableFuture<String> id = new CompletableFuture<>();

		private final CompletableFuture<Release> released = new CompletableFuture<>();

		Caller(ServiceProxy proxy) {
			this.proxy = proxy;
		}

		@Override
		public void run() {
			try {
				this.proxy.sendSourceAndReceiveToResult(new StringSource(REQUEST), (message) -> {
					CarriedCall call = CurrentCall.get();
					this.id.complete((call != null) ? call.callId() : "none");
				}, new StringResult());
				this.released.complete(new Release(System.nanoTime(), null));
			}
			catch (RuntimeException ex) {
				this.released.complete(new Release(System.nanoTime(), ex));
			}
			this.id.complete("ended before its request: " + this.released.join().thrown());
		}

		String id() {
			return this.id.getNow("unknown");
		}

		void awaitId() {
			try {
				this.id.get(120, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new BrokenRun("a call did not start: " + ex);
			}
		}

		Release awaitRelease() {
			try {
				return this.released.get(120, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new BrokenRun("caller of " + id() + " was not released: " + ex);
			}
		}

		record Release(long nanos, RuntimeException thrown) {

		}

	}

	/**
	 * The application that declares the proxy, with the actuator.
	 * <p>
	 * Not thread-safe to start and close.
	 */
	private static final class Scale implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final URI listing;

		private Scale(ConfigurableApplicationContext context, int port) {
			this.context = context;
			this.listing = URI.create("http://127.0.0.1:" + port + "/actuator/soapcalls/proxies/scale");
		}

		static Scale start(URI address, int maxPending) throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			Map<String, Object> properties = Map.of("server.address", "127.0.0.1", "server.port", port,
					"spring.main.banner-mode", "off", "management.endpoints.web.exposure.include", "soapcalls",
					"cancellable-soap.proxies.scale.address", address.toString(),
					"cancellable-soap.proxies.scale.call-timeout", "10m",
					"cancellable-soap.proxies.scale.max-pending-calls", maxPending,
					"cancellable-soap.proxies.scale.abandoned-io-timeout", "10m");
			ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.web(WebApplicationType.SERVLET)
				.properties(properties)
				.run();
			return new Scale(context, port);
		}

		ServiceProxy proxy() {
			return this.context.getBean(ServiceProxies.class).find("scale").orElseThrow();
		}

		/**
		 * List every pending call through the actuator.
		 * @return how long the answer took, whole body read, in nanoseconds
		 */
		long list(int size, Anomalies anomalies) throws IOException, InterruptedException {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.listing + "?limit=" + size))
				.timeout(Duration.ofSeconds(60))
				.build();
			long t0 = System.nanoTime();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			long took = System.nanoTime() - t0;
			String body = response.body();
			int listed = count(body, "\"channelId\"");
			if (response.statusCode() != 200 || listed != size || !body.contains("\"truncated\":false")) {
				anomalies.add("the listing of " + size + " calls answered " + response.statusCode() + " with " + listed
						+ " calls");
			}
			return took;
		}

		private static int count(String text, String needle) {
			int count = 0;
			for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
				count++;
			}
			return count;
		}

		@Override
		public void close() {
			this.context.close();
		}

		/**
		 * Auto-configuration only: the proxy comes from the properties.
		 */
		@SpringBootConfiguration
		@EnableAutoConfiguration
		static class Application {

		}

	}

}
