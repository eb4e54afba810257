package io.github.cancellablesoap.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects latency samples and reports median and p99 to the log and to
 * {@code target/measurements/server-latency.txt}.
 */
final class Latencies {

	private static final Logger logger = LoggerFactory.getLogger(Latencies.class);

	private final String name;

	private final List<Long> nanos = new ArrayList<>();

	Latencies(String name) {
		this.name = name;
	}

	void add(long sampleNanos) {
		this.nanos.add(sampleNanos);
	}

	int size() {
		return this.nanos.size();
	}

	double percentileMillis(double percentile) {
		List<Long> sorted = new ArrayList<>(this.nanos);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1_000_000.0;
	}

	String report() throws IOException {
		String line = String.format(Locale.ROOT, "%s: n=%d median=%.2f ms p99=%.2f ms max=%.2f ms", this.name,
				this.nanos.size(), percentileMillis(50), percentileMillis(99), percentileMillis(100));
		logger.info(line);
		Path file = Path.of("target", "measurements", "server-latency.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		return line;
	}

}
