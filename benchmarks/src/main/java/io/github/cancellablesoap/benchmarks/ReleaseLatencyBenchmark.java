package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.cancellablesoap.benchmarks.Anomalies.BrokenRun;
import io.github.cancellablesoap.benchmarks.LoopbackServer.Count;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Measures, in one JVM, how quickly the operator verbs of a {@link ServiceProxy} release
 * a waiting caller and close its socket: {@link ServiceProxy#abandon},
 * {@link ServiceProxy#abortCall} and {@link ServiceProxy#abort} with several calls
 * pending.
 * <p>
 * Every call goes to a silent {@link LoopbackServer} that reads the request and never
 * answers, so the caller waits until the verb releases it. Each caller is a dedicated
 * thread making a synchronous call; the benchmark waits until the call is
 * {@link CallPhase#WAITING_FOR_RESPONSE} and the server has the request, takes
 * {@code t0}, applies the verb, and the caller takes {@code t1} in its catch block. The
 * server records when it sees the connection close. Every outcome is checked (exception
 * type, call id, reason, socket state, see {@link ReleaseScenarios}); any anomaly makes
 * the program print {@code RESULT FAILED} and exit with status 1. Every wait is bounded.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass; {@code -Dbench.iterations=N}
 * overrides the number of measured iterations of the single-call scenarios.
 *
 * @author Cancellable SOAP
 */
public final class ReleaseLatencyBenchmark {

	private static final String REQUEST = "<b:ReleaseRequest xmlns:b=\"" + LoopbackServer.NAMESPACE + "\">"
			+ "<b:id>42</b:id><b:note>The server reads this and never answers.</b:note></b:ReleaseRequest>";

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration ABANDONED_IO_TIMEOUT = Duration.ofSeconds(30);

	private final Plan plan;

	private final int iterations;

	private final BenchReport report = new BenchReport();

	private ReleaseLatencyBenchmark(Plan plan, int iterations) {
		this.plan = plan;
		this.iterations = iterations;
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
		new ReleaseLatencyBenchmark(plan, iterations).run();
	}

	private void run() throws Exception {
		LoopbackServer server = new LoopbackServer(LoopbackServer.Reply.SILENT, "ReleaseRequest");
		server.start();
		URI address = server.address();
		CancellationTimer timer = new CancellationTimer("bench");
		DefaultServiceProxy proxy = ServiceProxyFactory.create(ProxySettings.builder("latency", address)
			.callTimeout(CALL_TIMEOUT)
			.abandonedIoTimeout(ABANDONED_IO_TIMEOUT)
			.maxPendingCalls(2 * this.plan.pendingCalls())
			.build(), new WebServiceTemplate(), timer);
		proxy.open();
		ReleaseScenarios scenarios = new ReleaseScenarios(proxy, server);
		List<SyncCaller> callers = new ArrayList<>();
		for (int i = 0; i < this.plan.pendingCalls(); i++) {
			callers.add(new SyncCaller("bench-caller-" + (i + 1), proxy, REQUEST));
		}
		List<Row> rows = new ArrayList<>();
		try {
			printHeader(address);
			measure(scenarios, callers, rows);
		}
		catch (BrokenRun ex) {
			scenarios.anomalies().add("run stopped: " + ex.getMessage());
		}
		finally {
			proxy.abort("benchmark finished");
			callers.forEach(SyncCaller::stop);
			timer.shutdown();
			server.stop();
		}
		printTable(rows);
		this.report.result(printChecks(server, scenarios.anomalies()),
				"every caller was released with the expected exception and call id");
	}

	private void measure(ReleaseScenarios scenarios, List<SyncCaller> callers, List<Row> rows) {
		int warmup = Math.max(1, this.iterations / 10);
		PrintStream out = this.report.out();
		Samples abandonReleased = new Samples();
		out.printf(Locale.ROOT, "# abandon: %d warm-up + %d measured iterations%n", warmup, this.iterations);
		scenarios.singleCalls(callers.get(0), true, warmup, null, null);
		scenarios.singleCalls(callers.get(0), true, this.iterations, abandonReleased, null);
		rows.add(new Row("abandon -> caller released", abandonReleased));
		Samples abortReleased = new Samples();
		Samples abortClosed = new Samples();
		out.printf(Locale.ROOT, "# abortCall: %d warm-up + %d measured iterations%n", warmup, this.iterations);
		scenarios.singleCalls(callers.get(0), false, warmup, null, null);
		scenarios.singleCalls(callers.get(0), false, this.iterations, abortReleased, abortClosed);
		rows.add(new Row("abortCall -> caller released", abortReleased));
		rows.add(new Row("abortCall -> server saw close", abortClosed));
		int k = this.plan.pendingCalls();
		Samples firstReleased = new Samples();
		Samples allReleased = new Samples();
		Samples allClosed = new Samples();
		out.printf(Locale.ROOT, "# abort with %d pending calls: %d warm-up + %d measured repetitions%n", k,
				this.plan.abortWarmup(), this.plan.abortRepetitions());
		scenarios.proxyAborts(callers, this.plan.abortWarmup(), null, null, null);
		scenarios.proxyAborts(callers, this.plan.abortRepetitions(), firstReleased, allReleased, allClosed);
		rows.add(new Row("abort(" + k + " calls) -> first released", firstReleased));
		rows.add(new Row("abort(" + k + " calls) -> all released", allReleased));
		rows.add(new Row("abort(" + k + " calls) -> all closed", allClosed));
	}

	private void printHeader(URI address) {
		PrintStream out = this.report.out();
		this.report.header("Cancellable SOAP release latency benchmark");
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
		this.report.headerEnd();
	}

	private void printTable(List<Row> rows) {
		PrintStream out = this.report.out();
		out.println();
		out.println("Latency from the verb (t0, just before the call) to the event (microseconds):");
		out.println();
		out.printf(Locale.ROOT, "%-36s %7s %9s %9s %9s %9s%n", "verb -> event", "samples", "p50", "p90", "p99", "max");
		for (Row row : rows) {
			Samples samples = row.samples();
			out.printf(Locale.ROOT, "%-36s %7d %9.1f %9.1f %9.1f %9.1f%n", row.name(), samples.size(),
					BenchReport.micros(samples.percentile(0.50)), BenchReport.micros(samples.percentile(0.90)),
					BenchReport.micros(samples.percentile(0.99)), BenchReport.micros(samples.percentile(1.0)));
		}
		out.println();
	}

	private boolean printChecks(LoopbackServer server, Anomalies anomalies) {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT,
				"checks      server: %d connections, %d closed by FIN, %d by reset, at most %d open at once,"
						+ " %d bad requests, %d unexpected bytes%n",
				server.accepted(), server.count(Count.END_OF_STREAM), server.count(Count.RESETS),
				server.maxOpenConnections(), server.count(Count.REJECTED), server.count(Count.UNEXPECTED_BYTES));
		if (server.count(Count.REJECTED) > 0 || server.count(Count.UNEXPECTED_BYTES) > 0) {
			anomalies.add("the server saw bad requests or unexpected bytes");
		}
		return anomalies.print(out, "");
	}

	/**
	 * How long the run takes.
	 *
	 * @param name the mode's name in the report
	 * @param iterations measured iterations of each single-call verb
	 * @param pendingCalls the calls pending when the proxy is aborted
	 * @param abortWarmup warm-up repetitions of the proxy abort
	 * @param abortRepetitions measured repetitions of the proxy abort
	 */
	private record Plan(String name, int iterations, int pendingCalls, int abortWarmup, int abortRepetitions) {

		static final Plan FULL = new Plan("FULL", 1000, 16, 5, 50);

		static final Plan QUICK = new Plan("QUICK", 200, 16, 2, 10);

	}

	/**
	 * One line of the report.
	 *
	 * @param name what was measured
	 * @param samples the latencies, in nanoseconds
	 */
	private record Row(String name, Samples samples) {

	}

}
