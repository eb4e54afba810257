package io.github.cancellablesoap.benchmarks;

import java.time.Duration;

/**
 * How long a {@link ProxyCostBenchmark} run takes: the full plan, the quick one, and the
 * number of runs.
 * <p>
 * Immutable.
 *
 * @param name the mode's name in the report
 * @param runs how often the whole sequence of payloads and levels is measured
 * @param warmupSlices JIT warm-up rounds per client, per run and payload
 * @param warmupSlice the length of one JIT warm-up round
 * @param warmup the warm-up per client at each level
 * @param rounds measured rounds per client at each level
 * @param round the length of one measured round
 */
record CostPlan(String name, int runs, int warmupSlices, Duration warmupSlice, Duration warmup, int rounds,
		Duration round) {

	static final CostPlan FULL = new CostPlan("FULL", 3, 2, Duration.ofSeconds(2), Duration.ofSeconds(2), 5,
			Duration.ofSeconds(3));

	static final CostPlan QUICK = new CostPlan("QUICK", 2, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
			Duration.ofSeconds(1));

	CostPlan withRuns(int count) {
		if (count < 1) {
			throw new IllegalArgumentException("bench.runs must be at least 1, was " + count);
		}
		return new CostPlan(this.name, count, this.warmupSlices, this.warmupSlice, this.warmup, this.rounds,
				this.round);
	}

}
