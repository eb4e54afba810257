package io.github.cancellablesoap.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.sun.management.OperatingSystemMXBean;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.CurrentCall;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceCallException;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * Measures, in one JVM, how quickly the operator verbs of a {@link ServiceProxy} release
 * a waiting caller and close its socket: {@link ServiceProxy#abandon},
 * {@link ServiceProxy#abortCall} and {@link ServiceProxy#abort} with several calls
 * pending.
 * <p>
 * Every call goes to a loopback server that reads the request and never answers, so the
 * caller waits until the verb releases it. Each caller is a dedicated thread making a
 * synchronous call; the benchmark waits until the call is
 * {@link CallPhase#WAITING_FOR_RESPONSE} and the server has the request, takes
 * {@code t0}, applies the verb, and the caller takes {@code t1} in its catch block. The
 * server records when it sees the connection close. Every outcome is checked (exception
 * type, call id, reason, socket state); any anomaly makes the program print
 * {@code RESULT FAILED} and exit with status 1. Every wait is bounded.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass; {@code -Dbench.iterations=N}
 * overrides the number of measured iterations of the single-call scenarios.
 *
 * @author Cancellable SOAP
 */
public final class ReleaseLatencyBenchmark {

	private static final String NAMESPACE = "urn:cancellable-soap:bench";

	private static final String REQUEST = "<b:ReleaseRequest xmlns:b=\"" + NAMESPACE + "\">"
			+ "<b:id>42</b:id><b:note>The server reads this and never answers.</b:note></b:ReleaseRequest>";

	private static final String REASON = "bench";

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration ABANDONED_IO_TIMEOUT = Duration.ofSeconds(30);

	private static final int MAX_LISTED_ANOMALIES = 10;

	private final Plan plan;

	private final int iterations;

	private final PrintStream report;

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final List<String> anomalies = new ArrayList<>();

	private int anomalyCount;

	private SilentLoopbackServer server;

	private DefaultServiceProxy proxy;

	private ReleaseLatencyBenchmark(Plan plan, int iterations, PrintStream report) {
		this.plan = plan;
		this.iterations = iterations;
		this.report = report;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; use {@code -Dbench.quick=true} for a short run
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		Plan plan = Boolean.getBoolean("bench.quick") ? Plan.QUICK : Plan.FULL;
		int iterations = Integer.getInteger("bench.iterations", plan.iterations());
		if (iterations <= 0) {
			iterations = plan.iterations();
		}
		// The benchmark's report: a plain-text table on standard output.
		PrintStream report = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		boolean clean = new ReleaseLatencyBenchmark(plan, iterations, report).run();
		report.flush();
		if (!clean) {
			System.exit(1);
		}
	}

	private boolean run() throws Exception {
		this.server = new SilentLoopbackServer();
		this.server.start();
		URI address = this.server.address();
		CancellationTimer timer = new CancellationTimer("bench");
		this.proxy = ServiceProxyFactory.create(ProxySettings.builder("latency", address)
			.callTimeout(CALL_TIMEOUT)
			.abandonedIoTimeout(ABANDONED_IO_TIMEOUT)
			.maxPendingCalls(2 * this.plan.pendingCalls())
			.build(), new WebServiceTemplate(), timer);
		this.proxy.open();
		List<Caller> callers = new ArrayList<>();
		for (int i = 0; i < this.plan.pendingCalls(); i++) {
			callers.add(new Caller("bench-caller-" + (i + 1), this.proxy));
		}
		List<Row> rows = new ArrayList<>();
		try {
			printHeader(address);
			int warmup = Math.max(1, this.iterations / 10);
			Samples abandonReleased = new Samples();
			this.report.printf(Locale.ROOT, "# abandon: %d warm-up + %d measured iterations%n", warmup,
					this.iterations);
			singleCalls(callers.get(0), Verb.ABANDON, warmup, null, null);
			singleCalls(callers.get(0), Verb.ABANDON, this.iterations, abandonReleased, null);
			rows.add(new Row("abandon -> caller released", abandonReleased));
			Samples abortReleased = new Samples();
			Samples abortClosed = new Samples();
			this.report.printf(Locale.ROOT, "# abortCall: %d warm-up + %d measured iterations%n", warmup,
					this.iterations);
			singleCalls(callers.get(0), Verb.ABORT_CALL, warmup, null, null);
			singleCalls(callers.get(0), Verb.ABORT_CALL, this.iterations, abortReleased, abortClosed);
			rows.add(new Row("abortCall -> caller released", abortReleased));
			rows.add(new Row("abortCall -> server saw close", abortClosed));
			int k = this.plan.pendingCalls();
			Samples firstReleased = new Samples();
			Samples allReleased = new Samples();
			Samples allClosed = new Samples();
			this.report.printf(Locale.ROOT, "# abort with %d pending calls: %d warm-up + %d measured repetitions%n", k,
					this.plan.abortWarmup(), this.plan.abortRepetitions());
			proxyAborts(callers, this.plan.abortWarmup(), null, null, null);
			proxyAborts(callers, this.plan.abortRepetitions(), firstReleased, allReleased, allClosed);
			rows.add(new Row("abort(" + k + " calls) -> first released", firstReleased));
			rows.add(new Row("abort(" + k + " calls) -> all released", allReleased));
			rows.add(new Row("abort(" + k + " calls) -> all closed", allClosed));
		}
		catch (BrokenRun ex) {
			anomaly("run stopped: " + ex.getMessage());
		}
		finally {
			this.proxy.abort("benchmark finished");
			for (Caller caller : callers) {
				caller.stop();
			}
			timer.shutdown();
			this.server.stop();
		}
		printTable(rows);
		return printChecks();
	}

	/**
	 * One caller, one call at a time: wait until it waits for the response, apply the
	 * verb, measure the release (and, for an abort, the server-side close), clean up.
	 */
	private void singleCalls(Caller caller, Verb verb, int count, Samples released, Samples closed) {
		for (int i = 0; i < count; i++) {
			Attempt attempt = caller.call();
			String id = awaitCallId(attempt);
			SilentLoopbackServer.Exchange exchange = this.server.exchange(id);
			try {
				if (!awaitWaiting(id, exchange)) {
					continue;
				}
				long t0 = System.nanoTime();
				boolean acted = (verb == Verb.ABANDON) ? this.proxy.abandon(id) : this.proxy.abortCall(id, REASON);
				Release release = awaitRelease(attempt, id);
				if (!acted) {
					anomaly(verb + " of call " + id + " returned false");
					continue;
				}
				if (release == null) {
					continue;
				}
				if (verb == Verb.ABANDON) {
					if (!checkRelease(release, id, CallAbandonedException.class, null)) {
						continue;
					}
					if (exchange.closed.isDone()) {
						anomaly("abandon of call " + id + " closed its connection; the I/O should go on");
						continue;
					}
					Optional<CallInfo> info = this.proxy.call(id);
					if (info.isEmpty() || !info.get().abandoned()) {
						anomaly("abandoned call " + id + " is not listed as abandoned: " + info);
						continue;
					}
					if (released != null) {
						released.add(release.nanos() - t0);
					}
					// The abandoned I/O goes on; end it so that sockets do not pile up.
					if (!this.proxy.abortCall(id, "bench cleanup")) {
						anomaly("abortCall of abandoned call " + id + " did not cancel its I/O");
					}
					awaitClosed(id, exchange);
				}
				else {
					if (!checkRelease(release, id, CallAbortedException.class, REASON)) {
						continue;
					}
					Long closedAt = awaitClosed(id, exchange);
					if (closedAt == null) {
						continue;
					}
					if (released != null) {
						released.add(release.nanos() - t0);
						closed.add(closedAt - t0);
					}
				}
			}
			finally {
				settle(List.of(caller), List.of(attempt), List.of(id));
			}
		}
	}

	/**
	 * K callers, one call each: wait until all wait for their responses, abort the proxy,
	 * measure the release of every caller and the close of every socket, then reset and
	 * reopen the proxy.
	 */
	private void proxyAborts(List<Caller> callers, int repetitions, Samples first, Samples allReleased,
			Samples allClosed) {
		for (int rep = 0; rep < repetitions; rep++) {
			List<Attempt> attempts = new ArrayList<>();
			for (Caller caller : callers) {
				attempts.add(caller.call());
			}
			List<String> ids = new ArrayList<>();
			for (Attempt attempt : attempts) {
				ids.add(awaitCallId(attempt));
			}
			try {
				boolean ready = true;
				for (String id : ids) {
					ready &= awaitWaiting(id, this.server.exchange(id));
				}
				if (!ready) {
					continue;
				}
				long t0 = System.nanoTime();
				boolean changed = this.proxy.abort(REASON);
				long firstRelease = Long.MAX_VALUE;
				long lastRelease = Long.MIN_VALUE;
				long lastClose = Long.MIN_VALUE;
				boolean valid = changed;
				if (!changed) {
					anomaly("abort of the proxy returned false (state " + this.proxy.state() + ")");
				}
				for (int i = 0; i < ids.size(); i++) {
					Release release = awaitRelease(attempts.get(i), ids.get(i));
					if (release == null || !checkRelease(release, ids.get(i), CallAbortedException.class, REASON)) {
						valid = false;
						continue;
					}
					firstRelease = Math.min(firstRelease, release.nanos());
					lastRelease = Math.max(lastRelease, release.nanos());
				}
				for (String id : ids) {
					Long closedAt = awaitClosed(id, this.server.exchange(id));
					if (closedAt == null) {
						valid = false;
						continue;
					}
					lastClose = Math.max(lastClose, closedAt);
				}
				if (this.proxy.state() != ProxyState.FAULTED) {
					anomaly("proxy is " + this.proxy.state() + " after abort, not FAULTED");
					valid = false;
				}
				if (valid && first != null) {
					first.add(firstRelease - t0);
					allReleased.add(lastRelease - t0);
					allClosed.add(lastClose - t0);
				}
			}
			finally {
				this.proxy.abort("bench cleanup");
				settle(callers, attempts, ids);
				this.proxy.reset();
				this.proxy.open();
			}
		}
	}

	private String awaitCallId(Attempt attempt) {
		try {
			return attempt.callId.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new BrokenRun("the caller did not start a proxy call: " + ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new BrokenRun("the caller did not start a proxy call within 10 s");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokenRun("interrupted");
		}
	}

	private boolean awaitWaiting(String id, SilentLoopbackServer.Exchange exchange) {
		boolean waiting = await(
				() -> this.proxy.call(id).map((info) -> info.phase() == CallPhase.WAITING_FOR_RESPONSE).orElse(false));
		if (!waiting) {
			anomaly("call " + id + " did not reach WAITING_FOR_RESPONSE within 10 s: " + this.proxy.call(id));
			return false;
		}
		if (!await(exchange.received::isDone)) {
			anomaly("the server did not receive the request of call " + id + " within 10 s");
			return false;
		}
		return true;
	}

	private Release awaitRelease(Attempt attempt, String id) {
		try {
			return attempt.released.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			anomaly("the caller of call " + id + " was not released within 10 s");
			return null;
		}
		catch (ExecutionException ex) {
			anomaly("the caller of call " + id + " broke: " + ex.getCause());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokenRun("interrupted");
		}
	}

	private Long awaitClosed(String id, SilentLoopbackServer.Exchange exchange) {
		try {
			return exchange.closed.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			anomaly("the server did not see the connection of call " + id + " close within 10 s");
			return null;
		}
		catch (ExecutionException ex) {
			anomaly("the server broke on call " + id + ": " + ex.getCause());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokenRun("interrupted");
		}
	}

	private boolean checkRelease(Release release, String id, Class<? extends ServiceCallException> expected,
			String reason) {
		RuntimeException thrown = release.thrown();
		if (thrown == null) {
			anomaly("call " + id + " returned normally; the server never answers");
			return false;
		}
		if (thrown.getClass() != expected) {
			anomaly("call " + id + " threw " + thrown + ", expected " + expected.getSimpleName());
			return false;
		}
		ServiceCallException cancelled = (ServiceCallException) thrown;
		if (!id.equals(cancelled.getCallId()) || !"latency".equals(cancelled.getProxyName())) {
			anomaly("call " + id + " was released with the exception of call " + cancelled.getCallId() + " on proxy '"
					+ cancelled.getProxyName() + "'");
			return false;
		}
		if (reason != null && !reason.equals(((CallAbortedException) cancelled).getReason())) {
			anomaly("call " + id + " was aborted with reason '" + ((CallAbortedException) cancelled).getReason()
					+ "', expected '" + reason + "'");
			return false;
		}
		return true;
	}

	/**
	 * Make sure that the calls of one iteration are over before the next starts: every
	 * caller released, every socket closed, no call left in the proxy.
	 */
	private void settle(List<Caller> callers, List<Attempt> attempts, List<String> ids) {
		for (int i = 0; i < attempts.size(); i++) {
			Attempt attempt = attempts.get(i);
			String id = ids.get(i);
			if (!attempt.released.isDone()) {
				this.proxy.abortCall(id, "bench recovery");
				if (awaitRelease(attempt, id) == null) {
					throw new BrokenRun("caller " + callers.get(i).name() + " is stuck in call " + id);
				}
			}
			SilentLoopbackServer.Exchange exchange = this.server.exchange(id);
			if (!exchange.closed.isDone()) {
				this.proxy.abortCall(id, "bench recovery");
				if (awaitClosed(id, exchange) == null) {
					throw new BrokenRun("the connection of call " + id + " stays open");
				}
			}
			if (!await(() -> this.proxy.call(id).isEmpty())) {
				anomaly("call " + id + " is still listed 10 s after it ended: " + this.proxy.call(id));
				throw new BrokenRun("call " + id + " is never removed");
			}
			this.server.forget(id);
		}
		if (!await(() -> this.server.openConnections() == 0)) {
			throw new BrokenRun(this.server.openConnections() + " connections stay open between iterations");
		}
	}

	/**
	 * Wait for a condition: spin briefly, then park with a growing back-off of at most
	 * 100 microseconds; give up after 10 seconds.
	 */
	private static boolean await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT_NANOS;
		int spins = 0;
		long park = 1_000;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return condition.getAsBoolean();
			}
			if (spins < 100) {
				spins++;
				Thread.onSpinWait();
			}
			else {
				LockSupport.parkNanos(park);
				park = Math.min(park * 2, 100_000);
			}
		}
		return true;
	}

	private void anomaly(String what) {
		this.anomalyCount++;
		if (this.anomalies.size() < MAX_LISTED_ANOMALIES) {
			this.anomalies.add(what);
		}
	}

	private void printHeader(URI address) {
		PrintStream out = this.report;
		out.println("Cancellable SOAP release latency benchmark");
		out.printf(Locale.ROOT, "date        %s%n", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
		out.printf(Locale.ROOT, "jvm         %s %s, %d available processors, %s %s%n",
				System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
				System.getProperty("os.arch"));
		out.printf(Locale.ROOT,
				"server      raw ServerSocket at %s, thread per connection; reads each request and never answers%n",
				address);
		out.printf(Locale.ROOT,
				"proxy       DefaultServiceProxy from ServiceProxyFactory, call timeout %d s, abandoned-I/O timeout"
						+ " %d s, maxPendingCalls %d%n",
				CALL_TIMEOUT.toSeconds(), ABANDONED_IO_TIMEOUT.toSeconds(), 2 * this.plan.pendingCalls());
		out.println("callers     dedicated threads, each making synchronous calls"
				+ " (sendSourceAndReceiveToResult, SAAJ message factory)");
		out.printf(Locale.ROOT,
				"mode        %s: %d iterations per single-call verb (plus %d warm-up), abort of %d pending calls"
						+ " %d times (plus %d warm-up)%n",
				this.plan.name(), this.iterations, Math.max(1, this.iterations / 10), this.plan.pendingCalls(),
				this.plan.abortRepetitions(), this.plan.abortWarmup());
		out.printf(Locale.ROOT, "load        system load average %.2f at start (other processes share the CPUs)%n",
				this.os.getSystemLoadAverage());
		out.println();
	}

	private void printTable(List<Row> rows) {
		PrintStream out = this.report;
		out.println();
		out.println("Latency from the verb (t0, just before the call) to the event (microseconds):");
		out.println();
		out.printf(Locale.ROOT, "%-36s %7s %9s %9s %9s %9s%n", "verb -> event", "samples", "p50", "p90", "p99", "max");
		for (Row row : rows) {
			Samples samples = row.samples();
			out.printf(Locale.ROOT, "%-36s %7d %9.1f %9.1f %9.1f %9.1f%n", row.name(), samples.size(),
					micros(samples.percentile(0.50)), micros(samples.percentile(0.90)),
					micros(samples.percentile(0.99)), micros(samples.percentile(1.0)));
		}
		out.println();
	}

	private boolean printChecks() {
		PrintStream out = this.report;
		out.printf(Locale.ROOT,
				"checks      server: %d connections, %d closed by FIN, %d by reset, at most %d open at once,"
						+ " %d bad requests, %d unexpected bytes%n",
				this.server.accepted(), this.server.endOfStream(), this.server.resets(),
				this.server.maxOpenConnections(), this.server.rejected(), this.server.unexpectedBytes());
		if (this.server.rejected() > 0 || this.server.unexpectedBytes() > 0) {
			anomaly("the server saw bad requests or unexpected bytes");
		}
		out.printf(Locale.ROOT, "checks      %d anomalies%n", this.anomalyCount);
		for (String anomaly : this.anomalies) {
			out.printf(Locale.ROOT, "            %s%n", anomaly);
		}
		out.printf(Locale.ROOT, "load        system load average %.2f at the end%n", this.os.getSystemLoadAverage());
		boolean clean = this.anomalyCount == 0;
		out.println(clean ? "RESULT      OK: every caller was released with the expected exception and call id"
				: "RESULT      FAILED: the numbers above are not valid");
		return clean;
	}

	private static double micros(long nanos) {
		return nanos / 1000.0;
	}

	/**
	 * How long the run takes.
	 */
	private enum Plan {

		FULL(1000, 16, 5, 50),

		QUICK(200, 16, 2, 10);

		private final int iterations;

		private final int pendingCalls;

		private final int abortWarmup;

		private final int abortRepetitions;

		Plan(int iterations, int pendingCalls, int abortWarmup, int abortRepetitions) {
			this.iterations = iterations;
			this.pendingCalls = pendingCalls;
			this.abortWarmup = abortWarmup;
			this.abortRepetitions = abortRepetitions;
		}

		int iterations() {
			return this.iterations;
		}

		int pendingCalls() {
			return this.pendingCalls;
		}

		int abortWarmup() {
			return this.abortWarmup;
		}

		int abortRepetitions() {
			return this.abortRepetitions;
		}

	}

	/**
	 * The single-call verbs.
	 */
	private enum Verb {

		ABANDON, ABORT_CALL

	}

	/**
	 * A dedicated caller thread: it takes one attempt at a time and makes its call
	 * synchronously through the proxy.
	 */
	private static final class Caller implements Runnable {

		private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();

		private final WebServiceOperations operations;

		private final Thread thread;

		Caller(String name, WebServiceOperations operations) {
			this.operations = operations;
			this.thread = new Thread(this, name);
			this.thread.setDaemon(true);
			this.thread.start();
		}

		String name() {
			return this.thread.getName();
		}

		Attempt call() {
			Attempt attempt = new Attempt();
			this.attempts.add(attempt);
			return attempt;
		}

		void stop() {
			this.thread.interrupt();
		}

		@Override
		public void run() {
			try {
				while (true) {
					this.attempts.take().run(this.operations);
				}
			}
			catch (InterruptedException ex) {
				// stopped
			}
		}

	}

	/**
	 * One synchronous call: it publishes its call id from the request callback (on the
	 * caller's thread, inside the proxy call) and its release time from its catch block.
	 */
	private static final class Attempt {

		private final CompletableFuture<String> callId = new CompletableFuture<>();

		private final CompletableFuture<Release> released = new CompletableFuture<>();

		void run(WebServiceOperations operations) {
			try {
				operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), (message) -> {
					CarriedCall call = CurrentCall.get();
					if (call != null) {
						this.callId.complete(call.callId());
					}
					else {
						this.callId.completeExceptionally(new IllegalStateException("no proxy call on this thread"));
					}
				}, new StringResult());
				this.released.complete(new Release(System.nanoTime(), null));
			}
			catch (RuntimeException ex) {
				// Expected: CallAbandonedException or CallAbortedException; checked
				// later.
				long t1 = System.nanoTime();
				this.released.complete(new Release(t1, ex));
			}
			this.callId.completeExceptionally(new IllegalStateException("the call ended before its request was built: "
					+ this.released.getNow(new Release(0, null)).thrown()));
		}

	}

	/**
	 * When a caller got out of its call, and with what.
	 *
	 * @param nanos {@link System#nanoTime()} in the caller's catch block
	 * @param thrown the exception, or {@code null} when the call returned
	 */
	private record Release(long nanos, RuntimeException thrown) {

	}

	/**
	 * One line of the report.
	 *
	 * @param name what was measured
	 * @param samples the latencies, in nanoseconds
	 */
	private record Row(String name, Samples samples) {

	}

	/**
	 * Latencies in nanoseconds.
	 */
	private static final class Samples {

		private long[] values = new long[1024];

		private int size;

		void add(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		int size() {
			return this.size;
		}

		long percentile(double quantile) {
			if (this.size == 0) {
				return 0;
			}
			long[] sorted = Arrays.copyOf(this.values, this.size);
			Arrays.sort(sorted);
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
		}

	}

	/**
	 * The run cannot go on: a caller or a connection is stuck.
	 */
	private static final class BrokenRun extends RuntimeException {

		BrokenRun(String message) {
			super(message);
		}

	}

}
