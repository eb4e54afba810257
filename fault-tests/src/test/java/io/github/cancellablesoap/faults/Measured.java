package io.github.cancellablesoap.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a fault ended within its bound and records the time measured: logged, and
 * appended to {@code target/fault-times.txt} (fault, bound, time, Java version), the
 * source of the table in the module's README.
 * <p>
 * Thread-safe.
 */
final class Measured {

	private static final Log logger = LogFactory.getLog(Measured.class);

	private static final Path REPORT = Path.of("target", "fault-times.txt");

	static {
		try {
			// one run, one report
			Files.deleteIfExists(REPORT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Measured() {
	}

	/**
	 * Nanos since a start, as a duration.
	 * @param startNanos from {@link System#nanoTime()}
	 * @return the time since
	 */
	static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	/**
	 * Assert that a fault ended within its bound, and record the time.
	 * @param fault what was measured, as the README's table names it
	 * @param bound the bound
	 * @param took the time measured
	 */
	static void within(String fault, Duration bound, Duration took) {
		String line = String.format("%s | bound %d ms | took %d ms | Java %d", fault, bound.toMillis(), took.toMillis(),
				Runtime.version().feature());
		logger.info("FAULT " + line);
		synchronized (Measured.class) {
			try {
				Files.createDirectories(REPORT.getParent());
				Files.writeString(REPORT, line + System.lineSeparator(), StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		assertThat(took).as(fault).isLessThanOrEqualTo(bound);
	}

}
