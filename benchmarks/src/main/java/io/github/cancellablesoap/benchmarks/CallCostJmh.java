package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of what a proxy adds to a call ({@code BookkeepingJmh} in
 * {@code io.github.cancellablesoap.client} and {@link WholeCallJmh}) with fixed
 * parameters and JMH's GC profiler, then prints one table: time and bytes allocated per
 * call for each benchmark, and its ratio to the plain {@code WebServiceTemplate} call it
 * is compared with (the in-memory plain call for the in-memory proxy calls and for the
 * pieces of bookkeeping, the loopback plain call for the loopback proxy calls).
 * <p>
 * Full run: 2 forks per benchmark, each with 3 warm-up and 5 measured iterations of 1 s
 * (21 benchmarks with their parameters, about 8 minutes). {@code -Dbench.quick=true}: 1
 * fork, 1 warm-up and 2 measured iterations (about 1.5 minutes; the numbers only show
 * that it works). {@code -Dbench.include=REGEX} runs only the benchmarks whose name
 * matches. Every fork runs with {@code -Xms512m -Xmx512m}.
 * <p>
 * Not thread-safe: a main program.
 *
 * @author Cancellable SOAP
 */
public final class CallCostJmh {

	private static final String ALL = "io\\.github\\.cancellablesoap\\.(client\\.BookkeepingJmh"
			+ "|benchmarks\\.WholeCallJmh|benchmarks\\.XmlGuardJmh)\\.";

	private static final String ALLOCATED = "gc.alloc.rate.norm";

	private static final String PLAIN_IN_MEMORY = "WholeCallJmh.plainInMemory";

	private static final String PLAIN_LOOPBACK = "WholeCallJmh.plainLoopback";

	private CallCostJmh() {
	}

	/**
	 * Run the benchmarks and print the table.
	 * @param args ignored; see the class description for the system properties
	 * @throws Exception when JMH fails
	 */
	public static void main(String[] args) throws Exception {
		boolean quick = Boolean.getBoolean("bench.quick");
		String include = System.getProperty("bench.include", "");
		Options options = new OptionsBuilder().include(include.isBlank() ? ALL : include)
			.mode(Mode.AverageTime)
			.timeUnit(TimeUnit.NANOSECONDS)
			.forks(quick ? 1 : 2)
			.warmupIterations(quick ? 1 : 3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(quick ? 2 : 5)
			.measurementTime(TimeValue.seconds(1))
			.threads(1)
			.jvmArgs("-Xms512m", "-Xmx512m")
			.addProfiler(GCProfiler.class)
			.shouldFailOnError(true)
			.build();
		BenchReport report = new BenchReport();
		Collection<RunResult> results = new Runner(options).run();
		report.header("Cancellable SOAP per-call cost (JMH " + jmhVersion() + ")");
		report.out()
			.printf(Locale.ROOT,
					"mode        %s: %s fork(s), %s x 1 s warm-up, %s x 1 s measured per benchmark,"
							+ " -prof gc, 1 thread; payloads: in memory and bookkeeping %d bytes, loopback %d and %d"
							+ " bytes%n",
					quick ? "QUICK" : "FULL", quick ? 1 : 2, quick ? 1 : 3, quick ? 2 : 5, WholeCallJmh.PAYLOAD.bytes(),
					Payload.ofSize(512).bytes(), Payload.ofSize(10240).bytes());
		report.headerEnd();
		List<Row> rows = rows(results);
		print(rows, report.out());
		report.result(!rows.isEmpty(), rows.size() + " benchmarks ran");
	}

	private static List<Row> rows(Collection<RunResult> results) {
		List<Row> rows = new ArrayList<>();
		for (RunResult run : results) {
			String label = run.getParams().getBenchmark();
			label = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
			String name = label;
			for (String key : run.getParams().getParamsKeys()) {
				label += " " + key + "=" + run.getParams().getParam(key);
			}
			Result<?> primary = run.getPrimaryResult();
			Result<?> allocated = run.getSecondaryResults().get(ALLOCATED);
			rows.add(new Row(name, label, run.getParams().getParam("payloadBytes"), primary.getScore(),
					primary.getScoreError(), (allocated != null) ? allocated.getScore() : Double.NaN));
		}
		// JMH's order within a benchmark (parameters as declared); plain calls first
		rows.sort(Comparator.comparingInt(Row::groupRank)
			.thenComparing((row) -> !row.name().startsWith("WholeCallJmh.plain")));
		return rows;
	}

	private static void print(List<Row> rows, PrintStream out) {
		Map<String, Row> byName = new HashMap<>();
		rows.forEach((row) -> byName.putIfAbsent(row.label(), row));
		out.println("Time per call (ns: mean, and its 99.9% error, n/a with too few iterations), bytes allocated per");
		out.println("call (gc.alloc.rate.norm), and both as ratios to the plain call of the row's group (loopback:");
		out.println("WholeCallJmh.plainLoopback with the same payload; in-memory and bookkeeping:");
		out.println("WholeCallJmh.plainInMemory):");
		out.println();
		out.printf(Locale.ROOT, "%-12s %-60s %12s %10s %10s %8s %8s%n", "group", "benchmark", "ns/call", "+-", "B/call",
				"x time", "x bytes");
		for (Row row : rows) {
			Row base = byName.get(row.group().equals("loopback")
					? PLAIN_LOOPBACK + ((row.payloadBytes() != null) ? " payloadBytes=" + row.payloadBytes() : "")
					: PLAIN_IN_MEMORY);
			double timeRatio = (base != null) ? row.nanos() / base.nanos() : Double.NaN;
			double bytesRatio = (base != null) ? row.bytes() / base.bytes() : Double.NaN;
			out.printf(Locale.ROOT, "%-12s %-60s %12.1f %10s %10.0f %8.4f %8.4f%n", row.group(), row.label(),
					row.nanos(), Double.isNaN(row.error()) ? "n/a" : String.format(Locale.ROOT, "%.1f", row.error()),
					row.bytes(), timeRatio, bytesRatio);
		}
		out.println();
	}

	private static String jmhVersion() {
		String version = Runner.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "1.37";
	}

	/**
	 * One benchmark's result.
	 *
	 * @param name the class and method, such as {@code WholeCallJmh.proxyInMemory}
	 * @param label the name and its parameters
	 * @param payloadBytes the payload parameter of a loopback benchmark, or {@code null}
	 * @param nanos mean time per call
	 * @param error the 99.9% confidence half-width of {@code nanos}
	 * @param bytes bytes allocated per call ({@code gc.alloc.rate.norm})
	 */
	private record Row(String name, String label, String payloadBytes, double nanos, double error, double bytes) {

		int groupRank() {
			return switch (group()) {
				case "loopback" -> 0;
				case "in-memory" -> 1;
				default -> 2;
			};
		}

		String group() {
			if (this.name.startsWith("BookkeepingJmh") || this.name.startsWith("XmlGuardJmh")) {
				return "bookkeeping";
			}
			return this.name.endsWith("Loopback") ? "loopback" : "in-memory";
		}

	}

}
