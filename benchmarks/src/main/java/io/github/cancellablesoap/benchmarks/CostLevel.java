package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The measured rounds of both clients of {@link ProxyCostBenchmark} at one concurrency
 * level, and the numbers its report derives from them.
 * <p>
 * Not thread-safe: filled and read by the benchmark's main thread.
 */
final class CostLevel {

	private final int callers;

	private final Totals plain = new Totals("plain");

	private final Totals proxy = new Totals("proxy");

	CostLevel(int callers) {
		this.callers = callers;
	}

	int callers() {
		return this.callers;
	}

	Totals plain() {
		return this.plain;
	}

	Totals proxy() {
		return this.proxy;
	}

	/**
	 * The median over rounds of proxy round i / plain round i, which cancels slow drifts
	 * of the machine's load.
	 * @return the ratio, or NaN without rounds
	 */
	double pairedThroughputRatio() {
		int pairs = Math.min(this.plain.rounds.size(), this.proxy.rounds.size());
		double[] ratios = new double[pairs];
		for (int i = 0; i < pairs; i++) {
			ratios[i] = this.proxy.rounds.get(i).throughput() / this.plain.rounds.get(i).throughput();
		}
		Arrays.sort(ratios);
		if (pairs == 0) {
			return Double.NaN;
		}
		return (pairs % 2 == 1) ? ratios[pairs / 2] : (ratios[pairs / 2 - 1] + ratios[pairs / 2]) / 2;
	}

	/**
	 * Print the report's tables: per client and level, then the ratios, then each round.
	 * @param levels the measured levels
	 * @param out where to print
	 */
	static void printTable(List<CostLevel> levels, PrintStream out) {
		out.println();
		out.println("Latency per call (microseconds), throughput (calls/s), process CPU per call (microseconds,");
		out.println("client and server together), connections used per round (max):");
		out.println();
		out.printf(Locale.ROOT, "%-8s %-6s %9s %8s %8s %8s %8s %10s %9s %6s%n", "callers", "client", "calls", "p50",
				"p90", "p99", "p99.9", "calls/s", "cpu/call", "conns");
		for (CostLevel level : levels) {
			for (Totals totals : List.of(level.plain(), level.proxy())) {
				out.printf(Locale.ROOT, "%-8d %-6s %9d %8.1f %8.1f %8.1f %8.1f %10.0f %9s %6d%n", level.callers(),
						totals.name(), totals.calls(), BenchReport.micros(totals.percentile(0.50)),
						BenchReport.micros(totals.percentile(0.90)), BenchReport.micros(totals.percentile(0.99)),
						BenchReport.micros(totals.percentile(0.999)), totals.throughput(), cpuText(totals.cpuPerCall()),
						totals.maxConnections());
			}
		}
		out.println();
		out.println("Ratios proxy / plain (latency and CPU: below 1.00 means the proxy is cheaper;");
		out.println("throughput: above 1.00 means the proxy is faster; \"paired\" is the median over rounds of");
		out.println("proxy round i / plain round i, which cancels slow drifts of the machine's load):");
		out.println();
		out.printf(Locale.ROOT, "%-8s %8s %8s %8s %10s %9s %14s%n", "callers", "p50", "p90", "p99", "calls/s",
				"cpu/call", "paired calls/s");
		for (CostLevel level : levels) {
			Totals plain = level.plain();
			Totals proxy = level.proxy();
			double cpuRatio = (plain.cpuPerCall() > 0 && proxy.cpuPerCall() > 0)
					? proxy.cpuPerCall() / plain.cpuPerCall() : Double.NaN;
			out.printf(Locale.ROOT, "%-8d %8.2f %8.2f %8.2f %10.2f %9.2f %14.2f%n", level.callers(),
					ratio(proxy, plain, 0.50), ratio(proxy, plain, 0.90), ratio(proxy, plain, 0.99),
					proxy.throughput() / plain.throughput(), cpuRatio, level.pairedThroughputRatio());
		}
		out.println();
		out.println("Throughput of each round (calls/s), in the order they ran:");
		for (CostLevel level : levels) {
			out.printf(Locale.ROOT, "%-3d callers  plain %s%n", level.callers(), level.plain().roundThroughputs());
			out.printf(Locale.ROOT, "%-3d callers  proxy %s%n", level.callers(), level.proxy().roundThroughputs());
		}
		out.println();
	}

	private static double ratio(Totals proxy, Totals plain, double quantile) {
		long base = plain.percentile(quantile);
		return (base > 0) ? (double) proxy.percentile(quantile) / base : Double.NaN;
	}

	private static String cpuText(double cpuNanosPerCall) {
		return (cpuNanosPerCall > 0) ? String.format(Locale.ROOT, "%.1f", cpuNanosPerCall / 1000.0) : "n/a";
	}

	/**
	 * One measured round of one client.
	 *
	 * @param latencies latencies of the successful calls, in nanoseconds
	 * @param wallNanos from the start signal to the end of the last call
	 * @param cpuNanos process CPU time used during the round, or -1 when unknown
	 * @param connections distinct connections the server saw during the round
	 */
	record Round(Samples latencies, long wallNanos, long cpuNanos, int connections) {

		double throughput() {
			return this.latencies.size() * 1e9 / this.wallNanos;
		}

	}

	/**
	 * All measured rounds of one client at one concurrency level.
	 */
	static final class Totals {

		private final String name;

		private final List<Round> rounds = new ArrayList<>();

		private Samples all;

		Totals(String name) {
			this.name = name;
		}

		String name() {
			return this.name;
		}

		void add(Round round) {
			this.rounds.add(round);
			this.all = null;
		}

		long calls() {
			return this.rounds.stream().mapToLong((round) -> round.latencies().size()).sum();
		}

		double throughput() {
			long wall = this.rounds.stream().mapToLong(Round::wallNanos).sum();
			return calls() * 1e9 / wall;
		}

		double cpuPerCall() {
			if (this.rounds.stream().anyMatch((round) -> round.cpuNanos() < 0)) {
				return -1;
			}
			return (double) this.rounds.stream().mapToLong(Round::cpuNanos).sum() / calls();
		}

		int maxConnections() {
			return this.rounds.stream().mapToInt(Round::connections).max().orElse(0);
		}

		long percentile(double quantile) {
			if (this.all == null) {
				this.all = Samples.concat(this.rounds.stream().map(Round::latencies).toList());
			}
			return this.all.percentile(quantile);
		}

		String roundThroughputs() {
			StringBuilder text = new StringBuilder();
			for (Round round : this.rounds) {
				text.append(String.format(Locale.ROOT, " %8.0f", round.throughput()));
			}
			return text.toString();
		}

	}

}
