package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.benchmarks.Anomalies.BrokenRun;
import io.github.cancellablesoap.benchmarks.PeerRecords.Record;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.HostState;
import io.grpc.ClientCall;

import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * Measures, in one JVM and one run, how long a client's cancel takes to reach the server
 * operation's cancel callback, for service proxies and hosts next to grpc-java:
 * <ul>
 * <li>direct: caller A aborts a call to host C ({@code ServiceProxy#abortCall}), or
 * cancels a grpc call ({@code ClientCall#cancel}); the latency runs from just before the
 * verb to the moment C's cancel callback ({@code OperationContext#onCancel}, grpc's
 * {@code onCancelHandler}) runs;</li>
 * <li>cascade: A calls B, whose operation calls C on its serving thread (grpc: inside its
 * call context); A aborts; the latencies run to B's and to C's cancel callbacks.</li>
 * </ul>
 * Every call is made only once its server operation (the last one of the chain) is
 * running; every cancel callback must run exactly once, every SOAP caller must end with
 * {@link CallAbortedException}; every wait is bounded by 10 seconds, and any anomaly
 * makes the program print {@code RESULT FAILED} and exit with status 1. The reasons the
 * hosts gave are counted: {@code CALLER_CANCELLED} means the explicit cancel arrived
 * first, {@code CALLER_GONE} that the closed socket was noticed first.
 * <p>
 * The SOAP proxies make one successful call to each host before the run, so that they
 * know the host accepts explicit cancels (a proxy learns it from a host's answers), as a
 * proxy in service does. The four scenarios alternate in rounds, so that changes in the
 * machine's load fall on both stacks. {@code -Dbench.quick=true} runs a short sanity
 * pass.
 *
 * @author Cancellable SOAP
 */
public final class PropagationBenchmark {

	private static final long WAIT_SECONDS = 10;

	private static final String REASON = "bench";

	private final Plan plan;

	private final BenchReport report = new BenchReport();

	private final Anomalies anomalies = new Anomalies();

	private final PeerRecords records = new PeerRecords();

	private final AtomicInteger sequence = new AtomicInteger();

	private final List<String> keys = new ArrayList<>();

	private final ExecutorService callers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "bench-caller");
		thread.setDaemon(true);
		return thread;
	});

	private PropagationBenchmark(Plan plan) {
		this.plan = plan;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; use {@code -Dbench.quick=true} for a short run
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		new PropagationBenchmark(Boolean.getBoolean("bench.quick") ? Plan.QUICK : Plan.FULL).run();
	}

	private void run() throws Exception {
		Rows rows = new Rows();
		try (SoapPeers soap = SoapPeers.start(this.records, freePort());
				GrpcPeers grpc = GrpcPeers.start(this.records)) {
			printHeader();
			try {
				prepare(soap);
				Runner runner = new Runner(soap, grpc);
				runner.round(this.plan.warmup(), null);
				for (int round = 0; round < this.plan.rounds(); round++) {
					runner.round(this.plan.perRound(), rows);
				}
			}
			catch (BrokenRun ex) {
				this.anomalies.add("run stopped: " + ex.getMessage());
			}
			checkCallbacksRanOnce();
		}
		finally {
			this.callers.shutdownNow();
		}
		printTable(rows);
		this.report.result(printChecks(), "every cancel callback ran exactly once and every SOAP caller was released");
	}

	/**
	 * One successful call through each proxy, so that each knows its host accepts
	 * explicit cancels; the hosts must be open.
	 */
	private void prepare(SoapPeers soap) {
		for (String host : List.of("b", "c")) {
			if (soap.host(host).state() != HostState.OPEN) {
				throw new BrokenRun("host " + host + " is " + soap.host(host).state());
			}
		}
		soap.proxy("a-to-c")
			.sendSourceAndReceiveToResult(new StringSource(PeerEndpoints.request("Ping", "ping")), new StringResult());
		soap.proxy("a-to-b")
			.sendSourceAndReceiveToResult(new StringSource(PeerEndpoints.request("Relay", "ping")), new StringResult());
	}

	private void checkCallbacksRanOnce() {
		for (String key : this.keys) {
			int cancels = this.records.of(key).cancels();
			if (cancels != 1) {
				this.anomalies.add("the cancel callback of " + key + " ran " + cancels + " times");
			}
		}
	}

	private static int freePort() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void printHeader() {
		PrintStream out = this.report.out();
		this.report.header("Cancellable SOAP propagation benchmark: client cancel -> server cancel callback");
		out.println("soap        one Spring Boot application, embedded Tomcat on 127.0.0.1: hosts b and c, proxies"
				+ " a-to-b, a-to-c and c (b's downstream); HTTP/1.1, one connection per pending call");
		out.println("grpc        grpc-java " + io.grpc.ManagedChannel.class.getPackage().getImplementationVersion()
				+ " Netty server on 127.0.0.1, plaintext HTTP/2 channels; unary calls with byte[] messages");
		out.printf(Locale.ROOT,
				"mode        %s: %d warm-up iterations, then %d rounds of %d iterations per scenario,"
						+ " scenarios alternating%n",
				this.plan.name(), this.plan.warmup(), this.plan.rounds(), this.plan.perRound());
		this.report.headerEnd();
	}

	private void printTable(Rows rows) {
		PrintStream out = this.report.out();
		out.println();
		out.println(
				"Latency from the cancel (t0, just before the verb) to the server's cancel callback (microseconds):");
		out.println();
		out.printf(Locale.ROOT, "%-40s %7s %9s %9s %9s %9s  %s%n", "cancel -> callback", "samples", "p50", "p90", "p99",
				"max", "reasons the server gave");
		rows.print(out, "soap  A abortCall -> C onCancel", rows.soapDirect);
		rows.print(out, "soap  A abortCall -> cancel POST at C", rows.soapArrived);
		rows.print(out, "grpc  A cancel -> C onCancelHandler", rows.grpcDirect);
		rows.print(out, "soap  A abortCall -> B onCancel (A>B>C)", rows.soapCascadeB);
		rows.print(out, "soap  A abortCall -> C onCancel (A>B>C)", rows.soapCascadeC);
		rows.print(out, "grpc  A cancel -> B onCancelHandler", rows.grpcCascadeB);
		rows.print(out, "grpc  A cancel -> C onCancelHandler", rows.grpcCascadeC);
		out.println();
		out.println("Ratios soap / grpc:");
		rows.ratio(out, "direct, C", rows.soapDirect, rows.grpcDirect);
		rows.ratio(out, "cascade, C", rows.soapCascadeC, rows.grpcCascadeC);
		out.println();
	}

	private boolean printChecks() {
		return this.anomalies.print(this.report.out(), this.keys.size() + " server operations cancelled, ");
	}

	/**
	 * Runs the scenarios.
	 */
	private final class Runner {

		private final ServiceProxy toB;

		private final ServiceProxy toC;

		private final GrpcPeers grpc;

		Runner(SoapPeers soap, GrpcPeers grpc) {
			this.toB = soap.proxy("a-to-b");
			this.toC = soap.proxy("a-to-c");
			this.grpc = grpc;
		}

		/**
		 * Each scenario {@code count} times, in turn.
		 * @param rows where to record, or {@code null} for a warm-up
		 */
		void round(int count, Rows rows) throws InterruptedException {
			for (int i = 0; i < count; i++) {
				soapDirect(rows);
			}
			for (int i = 0; i < count; i++) {
				grpcDirect(rows);
			}
			for (int i = 0; i < count; i++) {
				soapCascade(rows);
			}
			for (int i = 0; i < count; i++) {
				grpcCascade(rows);
			}
		}

		private void soapDirect(Rows rows) throws InterruptedException {
			String id = "d" + PropagationBenchmark.this.sequence.incrementAndGet();
			Record c = record("c:" + id);
			PendingCall<Boolean> call = submit(this.toC, "Hang", id);
			awaitRunning(c, "c:" + id);
			long t0 = System.nanoTime();
			abort(this.toC, call);
			record(rows, (r) -> r.soapDirect, c, t0, "c:" + id);
			awaitAborted(call);
			Record arrived = PropagationBenchmark.this.records.of("arrived:" + call.callId());
			if (rows != null && arrived.awaitCancelled(WAIT_SECONDS, TimeUnit.SECONDS)) {
				rows.soapArrived.add(arrived.cancelledAt() - t0,
						(arrived.cancelledAt() < c.cancelledAt()) ? "before the callback" : "after the callback");
			}
			PropagationBenchmark.this.records.remove("arrived:" + call.callId());
		}

		private void soapCascade(Rows rows) throws InterruptedException {
			String id = "k" + PropagationBenchmark.this.sequence.incrementAndGet();
			Record b = record("b:" + id);
			Record c = record("c:" + id);
			PendingCall<Boolean> call = submit(this.toB, "Relay", id);
			awaitRunning(c, "c:" + id);
			long t0 = System.nanoTime();
			abort(this.toB, call);
			record(rows, (r) -> r.soapCascadeB, b, t0, "b:" + id);
			record(rows, (r) -> r.soapCascadeC, c, t0, "c:" + id);
			awaitAborted(call);
		}

		private void grpcDirect(Rows rows) throws InterruptedException {
			String id = "d" + PropagationBenchmark.this.sequence.incrementAndGet();
			Record c = record("gc:" + id);
			ClientCall<byte[], byte[]> call = this.grpc.hang(id);
			awaitRunning(c, "gc:" + id);
			long t0 = System.nanoTime();
			call.cancel(REASON, null);
			record(rows, (r) -> r.grpcDirect, c, t0, "gc:" + id);
		}

		private void grpcCascade(Rows rows) throws InterruptedException {
			String id = "k" + PropagationBenchmark.this.sequence.incrementAndGet();
			Record b = record("gb:" + id);
			Record c = record("gc:" + id);
			ClientCall<byte[], byte[]> call = this.grpc.relay(id);
			awaitRunning(c, "gc:" + id);
			long t0 = System.nanoTime();
			call.cancel(REASON, null);
			record(rows, (r) -> r.grpcCascadeB, b, t0, "gb:" + id);
			record(rows, (r) -> r.grpcCascadeC, c, t0, "gc:" + id);
		}

		private Record record(String key) {
			PropagationBenchmark.this.keys.add(key);
			return PropagationBenchmark.this.records.of(key);
		}

		private PendingCall<Boolean> submit(ServiceProxy proxy, String operation, String id) {
			return proxy.submit(
					(operations) -> operations.sendSourceAndReceiveToResult(
							new StringSource(PeerEndpoints.request(operation, id)), new StringResult()),
					PropagationBenchmark.this.callers);
		}

		private void abort(ServiceProxy proxy, PendingCall<Boolean> call) {
			if (!proxy.abortCall(call.callId(), REASON)) {
				PropagationBenchmark.this.anomalies.add("abortCall of " + call.callId() + " returned false");
			}
		}

		private void awaitRunning(Record record, String key) throws InterruptedException {
			if (!record.awaitRunning(WAIT_SECONDS, TimeUnit.SECONDS)) {
				throw new BrokenRun("operation " + key + " did not start within " + WAIT_SECONDS + " s");
			}
		}

		private void record(Rows rows, java.util.function.Function<Rows, Row> row, Record record, long t0, String key)
				throws InterruptedException {
			if (!record.awaitCancelled(WAIT_SECONDS, TimeUnit.SECONDS)) {
				throw new BrokenRun("the cancel callback of " + key + " did not run within " + WAIT_SECONDS + " s");
			}
			if (rows != null) {
				row.apply(rows).add(record.cancelledAt() - t0, record.reason());
			}
		}

		private void awaitAborted(PendingCall<Boolean> call) throws InterruptedException {
			try {
				call.result().get(WAIT_SECONDS, TimeUnit.SECONDS);
				PropagationBenchmark.this.anomalies.add("call " + call.callId() + " was answered");
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof CallAbortedException)) {
					PropagationBenchmark.this.anomalies.add("call " + call.callId() + " ended with " + ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				throw new BrokenRun("the caller of " + call.callId() + " was not released");
			}
		}

	}

	/**
	 * The measured rows.
	 */
	private static final class Rows {

		final Row soapDirect = new Row();

		final Row soapArrived = new Row();

		final Row grpcDirect = new Row();

		final Row soapCascadeB = new Row();

		final Row soapCascadeC = new Row();

		final Row grpcCascadeB = new Row();

		final Row grpcCascadeC = new Row();

		void print(PrintStream out, String name, Row row) {
			Samples samples = row.samples;
			out.printf(Locale.ROOT, "%-40s %7d %9.1f %9.1f %9.1f %9.1f  %s%n", name, samples.size(),
					BenchReport.micros(samples.percentile(0.50)), BenchReport.micros(samples.percentile(0.90)),
					BenchReport.micros(samples.percentile(0.99)), BenchReport.micros(samples.percentile(1.0)),
					row.reasons);
		}

		void ratio(PrintStream out, String name, Row soap, Row grpc) {
			out.printf(Locale.ROOT, "  %-12s p50 %5.2f   p99 %5.2f%n", name, ratio(soap, grpc, 0.50),
					ratio(soap, grpc, 0.99));
		}

		private static double ratio(Row soap, Row grpc, double quantile) {
			long base = grpc.samples.percentile(quantile);
			return (base == 0) ? Double.NaN : (double) soap.samples.percentile(quantile) / base;
		}

	}

	/**
	 * One measured latency and the reasons the servers gave.
	 */
	private static final class Row {

		final Samples samples = new Samples();

		final Map<String, Integer> reasons = new TreeMap<>();

		void add(long nanos, String reason) {
			this.samples.add(nanos);
			this.reasons.merge(String.valueOf(reason), 1, Integer::sum);
		}

	}

	/**
	 * How long the run takes.
	 *
	 * @param name the mode's name in the report
	 * @param warmup warm-up iterations of each scenario
	 * @param rounds measured rounds
	 * @param perRound measured iterations of each scenario per round
	 */
	private record Plan(String name, int warmup, int rounds, int perRound) {

		static final Plan FULL = new Plan("FULL", 200, 5, 200);

		static final Plan QUICK = new Plan("QUICK", 20, 2, 20);

	}

}
