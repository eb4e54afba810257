package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of {@link ProxyCostBenchmark}'s report: latency, throughput and CPU per
 * client over all runs; the spread over runs (min, median, max) of each proxy client's
 * ratios to the plain client; and the throughput of every round.
 * <p>
 * Not thread-safe: used by the benchmark's main thread.
 */
final class CostTables {

	private static final String[] RATIO_NAMES = { "p50", "p90", "p99", "calls/s", "cpu/call", "paired calls/s" };

	/** Which of {@link CostLevel#ratios} the spread table shows. */
	private static final int[] SPREAD = { 0, 2, 3, 4, 5 };

	private final List<List<CostLevel>> runs;

	/**
	 * Tables over some runs.
	 * @param runs each run's levels, in the same order in every run
	 */
	CostTables(List<List<CostLevel>> runs) {
		this.runs = runs;
	}

	void print(PrintStream out) {
		List<CostLevel> merged = merged();
		printTotals(merged, out);
		printSpread(merged, out);
		printRounds(out);
	}

	/**
	 * Every level merged over the runs (all rounds of all runs).
	 * @return the merged levels, in the order of the first run
	 */
	List<CostLevel> merged() {
		List<CostLevel> merged = new ArrayList<>();
		for (CostLevel level : this.runs.get(0)) {
			List<CostLevel> same = new ArrayList<>();
			this.runs.forEach((run) -> run.stream().filter(level::sameAs).forEach(same::add));
			merged.add(CostLevel.merge(same));
		}
		return merged;
	}

	private void printTotals(List<CostLevel> merged, PrintStream out) {
		out.println();
		out.printf(Locale.ROOT,
				"Over all %d run(s): latency per call (microseconds, HdrHistogram), throughput (calls/s),%n",
				this.runs.size());
		out.println("process CPU per call (microseconds, client and server together), connections per round (max):");
		out.println();
		out.printf(Locale.ROOT, "%-8s %7s %-15s %8s %9s %9s %9s %9s %9s %9s %9s %5s%n", "payload", "callers", "client",
				"calls", "p50", "p90", "p99", "p99.9", "max", "calls/s", "cpu/call", "conns");
		for (CostLevel level : merged) {
			for (String client : level.clientNames()) {
				CostLevel.Totals totals = level.totals(client);
				out.printf(Locale.ROOT, "%-8s %7d %-15s %8d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9s %5d%n",
						level.payload(), level.callers(), client, totals.calls(),
						BenchReport.micros(totals.percentile(50)), BenchReport.micros(totals.percentile(90)),
						BenchReport.micros(totals.percentile(99)), BenchReport.micros(totals.percentile(99.9)),
						BenchReport.micros(totals.max()), totals.throughput(), cpuText(totals.cpuPerCall()),
						totals.maxConnections());
			}
		}
	}

	private void printSpread(List<CostLevel> merged, PrintStream out) {
		out.println();
		out.printf(Locale.ROOT, "Ratios to plain, min / median / max over the %d run(s) (latency and CPU: below 1.00%n",
				this.runs.size());
		out.println("the proxy is cheaper; throughput: above 1.00 the proxy is faster; \"paired\" is the median over");
		out.println("rounds of proxy round i / plain round i, which cancels slow drifts of the machine's load):");
		out.println();
		StringBuilder header = new StringBuilder(
				String.format(Locale.ROOT, "%-8s %7s %-15s", "payload", "callers", "client"));
		for (int index : SPREAD) {
			header.append(String.format(Locale.ROOT, " %20s", RATIO_NAMES[index]));
		}
		out.println(header);
		for (CostLevel level : merged) {
			List<String> clients = level.clientNames();
			for (String client : clients.subList(1, clients.size())) {
				StringBuilder line = new StringBuilder(
						String.format(Locale.ROOT, "%-8s %7d %-15s", level.payload(), level.callers(), client));
				for (int index : SPREAD) {
					line.append(spread(level, client, index));
				}
				out.println(line);
			}
		}
	}

	private String spread(CostLevel merged, String client, int index) {
		double[] sorted = ratiosOverRuns(merged, client, index);
		double median = CostLevel.median(sorted);
		return String.format(Locale.ROOT, "  %5.2f / %5.2f / %5.2f", sorted[0], median, sorted[sorted.length - 1]);
	}

	/**
	 * One ratio of a client to plain, computed in each run.
	 * @param level the level (of any run, or merged)
	 * @param client the client's name
	 * @param index which of {@link CostLevel#ratios} ({@link CostLevel#P50},
	 * {@link CostLevel#CPU}, ...)
	 * @return one value per run, sorted
	 */
	double[] ratiosOverRuns(CostLevel level, String client, int index) {
		List<Double> values = new ArrayList<>();
		for (List<CostLevel> run : this.runs) {
			run.stream().filter(level::sameAs).forEach((same) -> values.add(same.ratios(client)[index]));
		}
		return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
	}

	private void printRounds(PrintStream out) {
		out.println();
		out.println("Throughput of each round (calls/s), round 1 first:");
		for (int run = 0; run < this.runs.size(); run++) {
			for (CostLevel level : this.runs.get(run)) {
				for (String client : level.clientNames()) {
					out.printf(Locale.ROOT, "run %d  %-8s %3d callers  %-15s%s%n", run + 1, level.payload(),
							level.callers(), client, level.totals(client).roundThroughputs());
				}
			}
		}
		out.println();
	}

	private static String cpuText(double cpuNanosPerCall) {
		return (cpuNanosPerCall > 0) ? String.format(Locale.ROOT, "%.1f", cpuNanosPerCall / 1000.0) : "n/a";
	}

}
