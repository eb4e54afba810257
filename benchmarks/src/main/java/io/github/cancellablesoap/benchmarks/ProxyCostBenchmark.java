package io.github.cancellablesoap.benchmarks;

import java.util.function.IntFunction;

import io.github.cancellablesoap.client.ServiceProxy;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Measures, in one JVM, what a call through a {@link ServiceProxy} costs next to the same
 * call through a plain {@link WebServiceTemplate} configured as Spring Boot does by
 * default ({@link PlainClient}).
 * <p>
 * Three clients call one answering {@link LoopbackServer}: {@code plain}, {@code proxy}
 * (no listener) and {@code proxy+actuator} (the meters and observations a Boot
 * application with the actuator puts on every proxy, {@link ListenerSet#BOTH}), with
 * payloads of about 0.5 KB, 10 KB and 1 MB (the server echoes the request's items, so the
 * response is about as large), at 1 and 16 concurrent callers (1 and 4 for payloads of
 * 256 KB or more, so that 16 parsed megabyte messages do not crowd the 512 MB heap). For
 * each payload and level, after a warm-up, measured rounds of a fixed duration alternate
 * between the clients, each round starting with the next client, so that machine noise
 * spreads over all three. The whole sequence is repeated {@code -Dbench.runs} times; the
 * report gives the spread of the ratios over the runs. Latencies go into HdrHistograms.
 * Every response is checked outside the measured time; any failure is reported and makes
 * the program exit with status 1.
 * <p>
 * Before measuring, {@link ReleaseSanity} checks at each payload size that an abandon and
 * an abort of a waiting proxy call release its caller.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass (about 2.5 minutes) instead of the
 * full run (about 6 minutes per run, 3 runs by default). {@code -Dbench.payloads=512,10k}
 * chooses the payload sizes, {@code -Dbench.callers=1} the numbers of concurrent callers
 * (at most 16).
 *
 * @author Cancellable SOAP
 */
public final class ProxyCostBenchmark {

	private static final String DEFAULT_PAYLOADS = "512,10k,1m";

	private static final int LARGE_PAYLOAD = 256 * 1024;

	private ProxyCostBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; see the class description for the system properties
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		CostPlan plan = Boolean.getBoolean("bench.quick") ? CostPlan.QUICK : CostPlan.FULL;
		String runs = System.getProperty("bench.runs", "");
		if (!runs.isBlank()) {
			plan = plan.withRuns(Integer.parseInt(runs.trim()));
		}
		String sizes = System.getProperty("bench.payloads", "");
		Payload[] payloads = Payload.parse(sizes.isBlank() ? DEFAULT_PAYLOADS : sizes);
		String callers = System.getProperty("bench.callers", "");
		IntFunction<int[]> levels = callers.isBlank() ? ProxyCostBenchmark::callerCounts
				: (bytes) -> ScalePlan.sizes(callers, new int[0]);
		BenchReport report = new BenchReport();
		boolean clean;
		try (CostHarness harness = new CostHarness(plan, payloads, levels, report)) {
			report.header("Cancellable SOAP proxy cost benchmark");
			harness.describe();
			report.headerEnd();
			harness.checkRelease();
			new CostTables(harness.measureRuns()).print(report.out());
			clean = harness.printChecks();
		}
		report.result(clean, "every call did a full, verified request and response; abandon and abort"
				+ " released their callers at every payload size");
	}

	/**
	 * 1 and 16 callers; 1 and 4 for payloads of 256 KB or more, so that 16 parsed
	 * megabyte messages at once do not crowd the 512 MB heap.
	 */
	private static int[] callerCounts(int payloadBytes) {
		return (payloadBytes >= LARGE_PAYLOAD) ? new int[] { 1, 4 } : new int[] { 1, CostHarness.MAX_CALLERS };
	}

}
