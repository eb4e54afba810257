package io.github.cancellablesoap.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.sun.management.OperatingSystemMXBean;

/**
 * A benchmark's report: a plain-text table on standard output, opened by the lines that
 * every benchmark prints (title, date, JVM, machine load) and closed by its
 * {@code RESULT} line and exit status.
 * <p>
 * Meant for the benchmark's main thread; the print methods are not synchronized.
 */
final class BenchReport {

	private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
			StandardCharsets.UTF_8);

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	PrintStream out() {
		return this.out;
	}

	/**
	 * The process CPU time so far.
	 * @return nanoseconds, or a negative value when unknown
	 */
	long processCpuNanos() {
		return this.os.getProcessCpuTime();
	}

	/**
	 * The system load average over the last minute.
	 * @return the load average, or a negative value when unknown
	 */
	double loadAverage() {
		return this.os.getSystemLoadAverage();
	}

	/**
	 * Print the title, date and JVM lines.
	 * @param title what the benchmark measures
	 */
	void header(String title) {
		this.out.println(title);
		this.out.printf(Locale.ROOT, "date        %s%n",
				ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
		this.out.printf(Locale.ROOT, "jvm         %s %s, %d available processors, %s %s%n",
				System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
				System.getProperty("os.arch"));
	}

	/**
	 * Print the load line that ends the header, and a blank line.
	 */
	void headerEnd() {
		this.out.printf(Locale.ROOT, "load        system load average %.2f at start (other processes share the CPUs)%n",
				this.os.getSystemLoadAverage());
		this.out.println();
	}

	/**
	 * Print the load at the end and the result line, then exit with status 1 unless the
	 * run was clean.
	 * @param clean whether every check passed
	 * @param ok what the result line says when it did
	 */
	void result(boolean clean, String ok) {
		this.out.printf(Locale.ROOT, "load        system load average %.2f at the end%n",
				this.os.getSystemLoadAverage());
		this.out.println(clean ? "RESULT      OK: " + ok : "RESULT      FAILED: the numbers above are not valid");
		this.out.flush();
		if (!clean) {
			System.exit(1);
		}
	}

	static double micros(long nanos) {
		return nanos / 1000.0;
	}

}
