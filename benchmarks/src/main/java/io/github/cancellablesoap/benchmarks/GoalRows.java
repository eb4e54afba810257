package io.github.cancellablesoap.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.cancellablesoap.benchmarks.GoalTable.Row;

/**
 * The rows of {@link GoalsBenchmark}'s table, built from what {@link CostHarness} and
 * {@link ScaleBenchmark} measured: each goal's target, the measured value with the
 * samples it rests on, the baseline measured in the same run and the verdict.
 * <p>
 * Stateless and thread-safe.
 */
final class GoalRows {

	/** The most a proxy may cost relative to plain: p50 and CPU per call. */
	static final double MAX_RATIO = 1.0;

	/** The most abandon may take to release its caller, at p99. */
	static final long ABANDON_P99_NANOS = 100_000;

	/** The number of hung calls of the abort goal. */
	static final int ABORT_SIZE = 1000;

	/** The most a proxy abort with 1,000 hung calls may take. */
	static final long ABORT_NANOS = 20_000_000;

	/** The most listing 10,000 calls through the actuator may take. */
	static final long LISTING_NANOS = 100_000_000;

	private static final String[][] CLIENTS = { { "proxy+actuator", "proxy with meters and observations" },
			{ "proxy", "bare proxy" } };

	private GoalRows() {
	}

	/**
	 * One caller: the p50 and CPU-per-call ratios to plain of each proxy client at each
	 * payload. The goal is met when the ratio is at most 1.00 in every run.
	 * @param tables the runs
	 * @param plan the plan they followed (for the sample counts)
	 * @return the rows
	 */
	static List<Row> cost(CostTables tables, CostPlan plan) {
		List<Row> rows = new ArrayList<>();
		String rounds = String.format(Locale.ROOT, "%d run(s) x %d round(s) of %d s", plan.runs(), plan.rounds(),
				plan.round().toSeconds());
		for (CostLevel level : tables.merged()) {
			CostLevel.Totals plain = level.totals("plain");
			for (String[] client : CLIENTS) {
				CostLevel.Totals proxy = level.totals(client[0]);
				rows.add(costRow(tables, level, client, CostLevel.P50,
						String.format(Locale.ROOT, "p50 %.1f µs (%,d calls; %s)", micros(proxy.percentile(50)),
								proxy.calls(), rounds),
						String.format(Locale.ROOT, "plain p50 %.1f µs (%,d calls)", micros(plain.percentile(50)),
								plain.calls())));
				rows.add(costRow(tables, level, client, CostLevel.CPU,
						String.format(Locale.ROOT, "%.1f µs per call (process CPU over the rounds)",
								micros(proxy.cpuPerCall())),
						String.format(Locale.ROOT, "plain %.1f µs per call", micros(plain.cpuPerCall()))));
			}
		}
		return rows;
	}

	private static Row costRow(CostTables tables, CostLevel level, String[] client, int ratio, String measured,
			String baseline) {
		double[] runs = tables.ratiosOverRuns(level, client[0], ratio);
		double median = CostLevel.median(runs.clone());
		String what = (ratio == CostLevel.P50) ? "p50 latency" : "CPU per call";
		String spread = (runs.length > 1)
				? String.format(Locale.ROOT, " (runs %.2f to %.2f)", runs[0], runs[runs.length - 1]) : "";
		String met;
		if (runs[runs.length - 1] <= MAX_RATIO) {
			met = "yes";
		}
		else if (median > MAX_RATIO) {
			met = "no";
		}
		else {
			met = "not in every run";
		}
		return new Row(
				String.format(Locale.ROOT, "one caller, %s: %s ≤ plain `WebServiceTemplate`, %s", level.payload(), what,
						client[1]),
				"ratio ≤ 1.00", measured, String.format(Locale.ROOT, "%s; ratio %.2f%s", baseline, median, spread),
				met);
	}

	/**
	 * The proxy abort with 1,000 hung calls next to grpc-java's {@code shutdownNow()}:
	 * all callers released, all sockets closed.
	 * @param rows one pass's rows, by size
	 * @param threads the callers' kind, for the goals' text
	 * @param plan the plan the pass followed
	 * @return the rows, none when 1,000 was not measured
	 */
	static List<Row> abort(List<ScaleBenchmark.Row> rows, String threads, ScalePlan plan) {
		return rows.stream()
			.filter((row) -> row.size == ABORT_SIZE)
			.findFirst()
			.map((row) -> abort(row, threads, plan))
			.orElse(List.of());
	}

	/**
	 * Abandon at every size: p99, and its ratio to the p99 at the smallest size
	 * (flatness).
	 * @param rows one pass's rows, by size
	 * @param threads the callers' kind, for the goals' text
	 * @return the rows
	 */
	static List<Row> abandon(List<ScaleBenchmark.Row> rows, String threads) {
		List<Row> goals = new ArrayList<>();
		for (ScaleBenchmark.Row row : rows) {
			long p99 = row.abandon.percentile(0.99);
			long least = rows.get(0).abandon.percentile(0.99);
			goals.add(new Row(
					String.format(Locale.ROOT, "abandon → caller released, p99, %s (%s)", pending(row.size), threads),
					"≤ 100 µs, flat from 1 to 10,000",
					String.format(Locale.ROOT, "p99 %.1f µs (p50 %.1f µs; %d abandons)", micros(p99),
							micros(row.abandon.percentile(0.5)), row.abandon.size()),
					String.format(Locale.ROOT, "p99 with %s: %.1f µs; ratio %.2f", pending(rows.get(0).size),
							micros(least), ratio(p99, least)),
					GoalTable.Row.verdict(p99 <= ABANDON_P99_NANOS)));
		}
		return goals;
	}

	/**
	 * Listing every call at the largest size through the actuator.
	 * @param rows one pass's rows, by size
	 * @param threads the callers' kind, for the goals' text
	 * @return the row, none without rows
	 */
	static List<Row> listing(List<ScaleBenchmark.Row> rows, String threads) {
		if (rows.isEmpty()) {
			return List.of();
		}
		ScaleBenchmark.Row most = rows.get(rows.size() - 1);
		ScaleBenchmark.Row least = rows.get(0);
		long max = most.listing.percentile(1.0);
		return List.of(new Row(
				String.format(Locale.ROOT,
						"listing %,d in-flight calls through the actuator (`GET /actuator/soapcalls/proxies/{name}`,"
								+ " whole answer read; %s)",
						most.size, threads),
				"≤ 100 ms",
				String.format(Locale.ROOT, "max %.1f ms (p50 %.1f ms; %d listings)", millis(max),
						millis(most.listing.percentile(0.5)), most.listing.size()),
				String.format(Locale.ROOT, "p50 with %s: %.1f ms", pending(least.size),
						millis(least.listing.percentile(0.5))),
				GoalTable.Row.verdict(max <= LISTING_NANOS)));
	}

	private static String pending(int size) {
		return String.format(Locale.ROOT, (size == 1) ? "%,d pending call" : "%,d pending calls", size);
	}

	private static List<Row> abort(ScaleBenchmark.Row row, String threads, ScalePlan plan) {
		int repetitions = plan.aborts(row.size);
		long released = row.abortAll.percentile(0.5);
		long closed = row.abortClosed.percentile(0.5);
		long grpcReleased = row.grpcReleased.percentile(0.5);
		long grpcCancelled = row.grpcCancelled.percentile(0.5);
		String target = "≤ 20 ms and ≤ grpc-java's";
		return List.of(new Row(
				String.format(Locale.ROOT, "proxy abort with 1,000 hung calls: all callers released (%s)", threads),
				target,
				String.format(Locale.ROOT, "%.1f ms (median of %d; max %.1f ms)", millis(released), repetitions,
						millis(row.abortAll.percentile(1.0))),
				String.format(Locale.ROOT,
						"grpc-java `shutdownNow()`, 1,000 hung calls, all callers released: %.1f ms; ratio %.2f",
						millis(grpcReleased), ratio(released, grpcReleased)),
				GoalTable.Row.verdict(released <= ABORT_NANOS && released <= grpcReleased)),
				new Row(String.format(Locale.ROOT, "proxy abort with 1,000 hung calls: all sockets closed (%s)",
						threads), target,
						String.format(Locale.ROOT, "%.1f ms, last close seen by the server (median of %d; max %.1f ms)",
								millis(closed), repetitions, millis(row.abortClosed.percentile(1.0))),
						String.format(Locale.ROOT,
								"grpc-java `shutdownNow()`: server saw all cancels after %.1f ms; ratio %.2f",
								millis(grpcCancelled), ratio(closed, grpcCancelled)),
						GoalTable.Row.verdict(closed <= ABORT_NANOS && closed <= grpcCancelled)));
	}

	private static double ratio(long value, long base) {
		return (base > 0) ? (double) value / base : Double.NaN;
	}

	private static double micros(double nanos) {
		return nanos / 1000.0;
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

}
