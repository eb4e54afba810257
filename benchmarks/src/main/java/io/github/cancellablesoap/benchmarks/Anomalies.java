package io.github.cancellablesoap.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong in a benchmark run: every anomaly is counted, the first ten are kept
 * for the report. Any anomaly makes the run's result {@code FAILED}.
 * <p>
 * Not thread-safe: used by the benchmark's main thread.
 */
final class Anomalies {

	private static final int MAX_LISTED = 10;

	private final List<String> listed = new ArrayList<>();

	private int count;

	void add(String what) {
		this.count++;
		if (this.listed.size() < MAX_LISTED) {
			this.listed.add(what);
		}
	}

	int count() {
		return this.count;
	}

	List<String> listed() {
		return List.copyOf(this.listed);
	}

	/**
	 * The run cannot go on: a caller or a connection is stuck.
	 */
	static final class BrokenRun extends RuntimeException {

		BrokenRun(String message) {
			super(message);
		}

	}

}
