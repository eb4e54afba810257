package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
	 * Print the check line with the count, then each anomaly kept.
	 * @param out the report
	 * @param checked what else the line says before the count, such as
	 * {@code "sanity of abandon and abort: "}, or empty
	 * @return whether there was none
	 */
	boolean print(PrintStream out, String checked) {
		out.printf(Locale.ROOT, "checks      %s%d anomalies%n", checked, this.count);
		this.listed.forEach((anomaly) -> out.printf(Locale.ROOT, "            %s%n", anomaly));
		return this.count == 0;
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
