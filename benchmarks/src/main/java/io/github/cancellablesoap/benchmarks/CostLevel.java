package io.github.cancellablesoap.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The measured rounds of every client of {@link ProxyCostBenchmark} at one payload size
 * and concurrency level, in one run (or, {@link #merge merged}, in all runs), and the
 * numbers its report derives from them. Latencies are kept in HdrHistograms (3
 * significant digits, auto-resizing), one per round.
 * <p>
 * Not thread-safe: filled and read by the benchmark's main thread.
 */
final class CostLevel {

	/** The index of the p50 ratio in {@link #ratios}. */
	static final int P50 = 0;

	/** The index of the CPU-per-call ratio in {@link #ratios}. */
	static final int CPU = 4;

	private final String payload;

	private final int callers;

	private final Map<String, Totals> clients = new LinkedHashMap<>();

	/**
	 * A level with no rounds yet.
	 * @param payload the payload's label
	 * @param callers the concurrent callers
	 * @param clients the clients' names, the plain one first
	 */
	CostLevel(String payload, int callers, List<String> clients) {
		this.payload = payload;
		this.callers = callers;
		clients.forEach((name) -> this.clients.put(name, new Totals(name)));
	}

	/**
	 * The same level over several runs: every round of every run.
	 * @param runs the level in each run
	 * @return the merged level
	 */
	static CostLevel merge(List<CostLevel> runs) {
		CostLevel first = runs.get(0);
		CostLevel merged = new CostLevel(first.payload, first.callers, first.clientNames());
		for (CostLevel run : runs) {
			run.clients.forEach((name, totals) -> totals.rounds.forEach(merged.totals(name)::add));
		}
		return merged;
	}

	String payload() {
		return this.payload;
	}

	int callers() {
		return this.callers;
	}

	/**
	 * Whether another level measures the same thing (in another run).
	 * @param other the other level
	 * @return whether payload and callers are the same
	 */
	boolean sameAs(CostLevel other) {
		return this.payload.equals(other.payload) && this.callers == other.callers;
	}

	List<String> clientNames() {
		return List.copyOf(this.clients.keySet());
	}

	Totals totals(String client) {
		return this.clients.get(client);
	}

	/**
	 * One client's ratios to the first (plain) client.
	 * @param client the client's name
	 * @return p50, p90, p99, throughput, CPU per call and paired throughput, in that
	 * order; NaN where undefined
	 */
	double[] ratios(String client) {
		Totals plain = this.clients.values().iterator().next();
		Totals other = totals(client);
		return new double[] { ratio(other.percentile(50), plain.percentile(50)),
				ratio(other.percentile(90), plain.percentile(90)), ratio(other.percentile(99), plain.percentile(99)),
				other.throughput() / plain.throughput(), ratio(other.cpuPerCall(), plain.cpuPerCall()),
				pairedThroughputRatio(other, plain) };
	}

	/**
	 * The median over rounds of this client's round i / plain round i, which cancels slow
	 * drifts of the machine's load.
	 */
	private static double pairedThroughputRatio(Totals client, Totals plain) {
		int pairs = Math.min(client.rounds.size(), plain.rounds.size());
		double[] ratios = new double[pairs];
		for (int i = 0; i < pairs; i++) {
			ratios[i] = client.rounds.get(i).throughput() / plain.rounds.get(i).throughput();
		}
		return median(ratios);
	}

	private static double ratio(double value, double base) {
		return (value > 0 && base > 0) ? value / base : Double.NaN;
	}

	/**
	 * The median of some values.
	 * @param values the values (sorted in place)
	 * @return the median, or NaN for none
	 */
	static double median(double[] values) {
		int count = values.length;
		if (count == 0) {
			return Double.NaN;
		}
		Arrays.sort(values);
		return (count % 2 == 1) ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
	}

	/**
	 * One measured round of one client.
	 *
	 * @param latencies latencies of the verified calls, in nanoseconds
	 * @param wallNanos from the start signal to the end of the last call
	 * @param cpuNanos process CPU time used during the round, or -1 when unknown
	 * @param connections distinct connections the server saw during the round
	 */
	record Round(Histogram latencies, long wallNanos, long cpuNanos, int connections) {

		long calls() {
			return this.latencies.getTotalCount();
		}

		double throughput() {
			return calls() * 1e9 / this.wallNanos;
		}

	}

	/**
	 * All measured rounds of one client at one level.
	 */
	static final class Totals {

		private final String name;

		private final List<Round> rounds = new ArrayList<>();

		private Histogram all;

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
			return this.rounds.stream().mapToLong(Round::calls).sum();
		}

		double throughput() {
			long wall = this.rounds.stream().mapToLong(Round::wallNanos).sum();
			return (wall > 0) ? calls() * 1e9 / wall : Double.NaN;
		}

		/**
		 * Process CPU time per call.
		 * @return nanoseconds, or -1 when unknown
		 */
		double cpuPerCall() {
			if (calls() == 0 || this.rounds.stream().anyMatch((round) -> round.cpuNanos() < 0)) {
				return -1;
			}
			return (double) this.rounds.stream().mapToLong(Round::cpuNanos).sum() / calls();
		}

		int maxConnections() {
			return this.rounds.stream().mapToInt(Round::connections).max().orElse(0);
		}

		/**
		 * A latency percentile over every round.
		 * @param percentile from 0 to 100
		 * @return nanoseconds (HdrHistogram's value at that percentile), 0 without calls
		 */
		long percentile(double percentile) {
			return histogram().getValueAtPercentile(percentile);
		}

		long max() {
			return histogram().getMaxValue();
		}

		private Histogram histogram() {
			if (this.all == null) {
				Histogram merged = new Histogram(3);
				this.rounds.forEach((round) -> merged.add(round.latencies()));
				this.all = merged;
			}
			return this.all;
		}

		String roundThroughputs() {
			StringBuilder text = new StringBuilder();
			for (Round round : this.rounds) {
				text.append(String.format(Locale.ROOT, " %8.1f", round.throughput()));
			}
			return text.toString();
		}

	}

}
