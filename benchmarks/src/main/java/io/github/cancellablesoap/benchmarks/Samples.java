package io.github.cancellablesoap.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Latencies in nanoseconds, recorded by one thread, with percentiles over them.
 * <p>
 * Not thread-safe: one thread records; others read only after it is done (for example
 * after joining its future).
 */
final class Samples {

	private long[] values;

	private int size;

	private long[] sorted;

	Samples() {
		this(1024);
	}

	Samples(int capacity) {
		this.values = new long[capacity];
	}

	/**
	 * All the samples of several recorders, in order.
	 * @param all the recorders
	 * @return one set of samples
	 */
	static Samples concat(List<Samples> all) {
		Samples merged = new Samples(Math.max(1, all.stream().mapToInt(Samples::size).sum()));
		for (Samples samples : all) {
			System.arraycopy(samples.values, 0, merged.values, merged.size, samples.size);
			merged.size += samples.size;
		}
		return merged;
	}

	void add(long value) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = value;
		this.sorted = null;
	}

	int size() {
		return this.size;
	}

	/**
	 * The value at a quantile: the smallest sample that at least that share of the
	 * samples do not exceed.
	 * @param quantile from 0 to 1 (1 is the maximum)
	 * @return the value, or 0 when there are no samples
	 */
	long percentile(double quantile) {
		if (this.size == 0) {
			return 0;
		}
		if (this.sorted == null) {
			this.sorted = Arrays.copyOf(this.values, this.size);
			Arrays.sort(this.sorted);
		}
		int index = (int) Math.ceil(quantile * this.size) - 1;
		return this.sorted[Math.max(0, Math.min(index, this.size - 1))];
	}

}
