package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import io.github.cancellablesoap.client.ServiceProxy;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

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

	private final BenchReport report;

	private final Anomalies anomalies;

	private final ScalePlan plan;

	private final boolean virtual;

	private final Executor callers;

	/**
	 * A pass over the plan's sizes with one kind of caller thread.
	 * @param plan the sizes and repetitions
	 * @param virtual whether callers are virtual threads (Java 21 or later)
	 * @param report where progress goes
	 * @param anomalies where anomalies go
	 */
	ScaleBenchmark(ScalePlan plan, boolean virtual, BenchReport report, Anomalies anomalies) {
		this.plan = plan;
		this.virtual = virtual;
		this.report = report;
		this.anomalies = anomalies;
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
		int[] sizes = ScalePlan.sizes(System.getProperty("bench.sizes", ""), ScalePlan.SIZES);
		ScalePlan plan = Boolean.getBoolean("bench.quick") ? ScalePlan.quick(sizes) : ScalePlan.full(sizes);
		BenchReport report = new BenchReport();
		Anomalies anomalies = new Anomalies();
		ScaleBenchmark benchmark = new ScaleBenchmark(plan, "virtual".equals(System.getProperty("bench.threads")),
				report, anomalies);
		List<Row> rows;
		try (ScaleRig rig = ScaleRig.start(plan.maxPending())) {
			benchmark.printHeader(rig.server().address());
			rows = benchmark.measure(rig);
		}
		benchmark.printTable(rows);
		report.result(benchmark.printChecks(), "every caller was released with the expected exception");
	}

	/**
	 * Measure every size of the plan; a run that cannot go on is noted as an anomaly and
	 * ends the pass.
	 * @param rig the servers and the application, with no call pending
	 * @return one row per size measured
	 * @throws Exception when the benchmark itself breaks
	 */
	List<Row> measure(ScaleRig rig) throws Exception {
		List<Row> rows = new ArrayList<>();
		try {
			for (int size : this.plan.sizes()) {
				rows.add(measure(size, rig.app(), rig.server(), rig.grpc(), rig.records()));
			}
		}
		catch (BrokenRun ex) {
			this.anomalies.add("run stopped: " + ex.getMessage());
		}
		return rows;
	}

	boolean virtual() {
		return this.virtual;
	}

	private Row measure(int size, ScaleRig.App app, SilentServerProcess server, GrpcPeers grpc, PeerRecords records)
			throws Exception {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT, "# %d pending calls%n", size);
		Row row = new Row(size);
		ServiceProxy proxy = app.proxy();
		List<Caller> pending = start(proxy, size);
		awaitWaiting(proxy, size);
		for (int i = 0; i < this.plan.listings(); i++) {
			row.listing.add(app.list(size, this.anomalies));
		}
		for (int i = 0; i < this.plan.abandons(); i++) {
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
		int aborts = this.plan.aborts(size);
		for (int repetition = 0; repetition < aborts; repetition++) {
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
		for (int repetition = 0; repetition < aborts; repetition++) {
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
		this.report.header("Cancellable SOAP scale benchmark: verbs with many pending calls, next to grpc-java");
		describe(server);
		this.report.headerEnd();
	}

	/**
	 * Print what this pass measures: server, proxy, callers, grpc and the plan.
	 * @param server the silent server's address
	 */
	void describe(URI server) {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT,
				"server      SilentServer in a child JVM at %s (one selector thread; reads, never answers)%n", server);
		out.println("proxy       'scale', declared in a Spring Boot application with the actuator, meters and"
				+ " observations on; call timeout 10 min");
		out.printf(Locale.ROOT, "callers     %s threads, one synchronous call each%n",
				this.virtual ? "virtual" : "platform");
		out.printf(Locale.ROOT, "grpc        grpc-java %s, Netty, one plaintext channel per repetition%n",
				ManagedChannel.class.getPackage().getImplementationVersion());
		out.printf(Locale.ROOT, "mode        %s%n", this.plan.describe());
	}

	void printTable(List<Row> rows) {
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
		return this.anomalies.print(this.report.out(), "");
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	/**
	 * One size's measurements, in nanoseconds: abandon to release, listings, and per
	 * abort repetition the first and last caller released, the last socket closed, and
	 * grpc-java's last caller released and last server cancel.
	 * <p>
	 * Not thread-safe: filled by the benchmark's main thread, read after.
	 */
	static final class Row {

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

}
