package io.github.cancellablesoap.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * How much {@link ScaleBenchmark} measures: the numbers of pending calls, and per number
 * the abandons, the listings and the proxy aborts (each followed by as many grpc-java
 * {@code shutdownNow()} repetitions).
 * <p>
 * Immutable.
 *
 * @param name the plan's name in the report
 * @param sizes the numbers of pending calls, in order
 * @param abandons abandons per size
 * @param listings actuator listings per size
 * @param abortsBySize proxy aborts (and grpc-java shutdowns) for a size; at least 1,
 * since the abort ends the size's pending calls
 */
record ScalePlan(String name, int[] sizes, int abandons, int listings, IntUnaryOperator abortsBySize) {

	/** The default numbers of pending calls. */
	static final int[] SIZES = { 1, 100, 1000, 10000 };

	static ScalePlan full(int[] sizes) {
		return new ScalePlan("FULL", sizes, 200, 10, (size) -> 5);
	}

	static ScalePlan quick(int[] sizes) {
		return new ScalePlan("QUICK", sizes, 20, 10, (size) -> 1);
	}

	/**
	 * Parse a list of sizes such as {@code 1,100,1000}.
	 * @param text the list, or blank for the defaults
	 * @param defaults the sizes when the text is blank
	 * @return the sizes
	 */
	static int[] sizes(String text, int[] defaults) {
		if (text == null || text.isBlank()) {
			return defaults.clone();
		}
		return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
	}

	int aborts(int size) {
		return Math.max(1, this.abortsBySize.applyAsInt(size));
	}

	int most() {
		return Arrays.stream(this.sizes).max().orElse(1);
	}

	/**
	 * The proxy's {@code max-pending-calls}: the most calls, the replacements of
	 * abandoned calls whose I/O is still being aborted, and a margin.
	 * @return the bound
	 */
	int maxPending() {
		return most() + this.abandons + 16;
	}

	/**
	 * The plan in one line of a report header.
	 * @return for example
	 * {@code FULL: sizes [1, 100]; 200 abandons, 10 listings, aborts 5/5}
	 */
	String describe() {
		StringBuilder aborts = new StringBuilder();
		for (int size : this.sizes) {
			aborts.append((aborts.length() > 0) ? "/" : "").append(aborts(size));
		}
		return String.format(Locale.ROOT,
				"%s: sizes %s; per size %d abandons, %d listings, aborts (and grpc shutdowns) %s", this.name,
				Arrays.toString(this.sizes), this.abandons, this.listings, aborts);
	}

}
