package io.github.cancellablesoap.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.cancellablesoap.benchmarks.GoalTable.Row;

/**
 * Measures every performance goal of the project in one run (one command, this JVM and
 * the child JVM of the silent server) and prints one Markdown table of them, each beside
 * the baseline measured in the same run; the table is also written to
 * {@code benchmarks/target/goals.md}.
 * <p>
 * The run reuses the other benchmarks with fewer rounds: {@link CostHarness} (one caller,
 * 0.5 KB and 10 KB, plain {@code WebServiceTemplate}, bare proxy and proxy with meters
 * and observations), then {@link ScaleBenchmark} (abandon with 1 to 10,000 pending calls,
 * the actuator's listing, a proxy abort with 1,000 hung calls next to grpc-java's
 * {@code shutdownNow()}) with platform caller threads and, on Java 21 or later, with
 * virtual ones. {@code -Dbench.threads=platform|virtual|both} chooses; by default both
 * where the JDK has virtual threads, platform otherwise. {@code -Dbench.quick=true} is a
 * smoke run; {@code -Dbench.sizes} changes the numbers of pending calls. Ten thousand
 * pending calls need {@code -Dbench.heap=2g}. Any anomaly makes the program print
 * {@code RESULT FAILED} and exit with status 1.
 *
 * @author Cancellable SOAP
 */
public final class GoalsBenchmark {

	private static final String PAYLOADS = "512,10k";

	private static final int ABORT_SIZE = GoalRows.ABORT_SIZE;

	private static final long MIN_HEAP_FOR_10K = 1536L * 1024 * 1024;

	/** The cost runs of the goals: 5 runs of 3 alternating 2 s rounds per client. */
	private static final CostPlan COST = new CostPlan("GOALS", 5, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
			Duration.ofSeconds(2));

	private static final CostPlan COST_QUICK = new CostPlan("GOALS-QUICK", 2, 1, Duration.ofSeconds(1),
			Duration.ofSeconds(1), 1, Duration.ofSeconds(1));

	/**
	 * Goals measured by programs of their own, each adding its rows here. The measurement
	 * of the memory held per pending asynchronous call lands separately; until it does,
	 * its row says so.
	 */

	/** Pending non-blocking calls for the memory row (the 10,000). */
	private static final int PENDING = 10_000;

	/** Pending non-blocking calls for the memory row of a quick run. */
	private static final int PENDING_QUICK = 1_000;

	private final BenchReport report = new BenchReport();

	private final Anomalies anomalies = new Anomalies();

	private final GoalTable table = new GoalTable();

	private final boolean quick;

	private GoalsBenchmark(boolean quick) {
		this.quick = quick;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; see the class description for the system properties
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		new GoalsBenchmark(Boolean.getBoolean("bench.quick")).run();
	}

	private void run() throws Exception {
		int[] sizes = ScalePlan.sizes(System.getProperty("bench.sizes", ""), ScalePlan.SIZES);
		List<Boolean> passes = threadPasses(System.getProperty("bench.threads", ""));
		ScalePlan scale = this.quick
				? new ScalePlan("GOALS-QUICK", sizes, 20, 3, (size) -> (size == ABORT_SIZE) ? 2 : 1)
				: new ScalePlan("GOALS", sizes, 400, 10, (size) -> (size == ABORT_SIZE) ? 10 : 1);
		if (scale.most() >= 10_000 && Runtime.getRuntime().maxMemory() < MIN_HEAP_FOR_10K) {
			this.report.out()
				.printf(Locale.ROOT, "%d pending calls need a larger heap: run with -Dbench.heap=2g%n", scale.most());
			this.report.result(false, "");
		}
		double loadBefore = this.report.loadAverage();
		long started = System.nanoTime();
		this.report.header("Cancellable SOAP goals: every performance goal in one run");
		this.report.headerEnd();
		boolean clean = measureCost(this.quick ? COST_QUICK : COST);
		// before the scale passes, whose thousands of caller threads and calls would stay
		// in
		// the heap and the thread count this measurement compares
		List<Row> pendingRows = pendingMemoryRows(this.quick ? PENDING_QUICK : PENDING);
		List<List<ScaleBenchmark.Row>> scaleRows = measureScale(scale, passes);
		for (int i = 0; i < passes.size(); i++) {
			this.table.addAll(GoalRows.abort(scaleRows.get(i), threads(passes.get(i)), scale));
		}
		for (int i = 0; i < passes.size(); i++) {
			this.table.addAll(GoalRows.abandon(scaleRows.get(i), threads(passes.get(i))));
		}
		for (int i = 0; i < passes.size(); i++) {
			this.table.addAll(GoalRows.listing(scaleRows.get(i), threads(passes.get(i))));
		}
		this.table.addAll(pendingRows);
		this.table
			.add(new Row("no carrier thread pinned on the call path (virtual threads, Java 25)",
					"no jdk.VirtualThreadPinned event",
					"not measured here: checked by VirtualThreadsIntegrationTests"
							+ " (autoconfigure, JFR recording of abandon, abort and cascades; Java 21+)",
					"-", "tested"));
		printTable(loadBefore, started, this.quick ? COST_QUICK : COST, scale);
		clean &= this.anomalies.print(this.report.out(), "scale passes: ")
				&& scaleRows.stream().allMatch((rows) -> rows.size() == sizes.length);
		this.report.result(clean, "every call verified, every caller released with the expected exception");
	}

	/**
	 * The rows of the non-blocking form: heap per pending call beyond HttpClient 5's own
	 * asynchronous requests to the same silent server, and the threads alive while the
	 * calls are pending (see {@link PendingMemoryBenchmark}).
	 */
	private List<Row> pendingMemoryRows(int calls) throws Exception {
		PendingMemoryBenchmark.Result memory = PendingMemoryBenchmark.measure(calls);
		if (!memory.clean()) {
			this.anomalies.add("pending memory: not every pending call was released and closed by the abort");
		}
		String count = String.format(Locale.ROOT, "%,d", memory.calls());
		return List.of(
				new Row("memory per pending asynchronous call, beyond the transport's own (" + count + " pending)",
						"≤ 1,024 B", String.format(Locale.ROOT, "%,.0f B", memory.differenceBytesPerCall()),
						String.format(Locale.ROOT, "proxy %,.0f B, plain HttpClient 5 async %,.0f B per call",
								memory.proxyBytesPerCall(), memory.transportBytesPerCall()),
						Row.verdict(memory.differenceBytesPerCall() <= 1024)),
				new Row("threads while " + count + " asynchronous calls are pending", "a handful (no thread per call)",
						memory.proxyThreads() + " live threads in the JVM",
						"plain HttpClient 5 async: " + memory.transportThreads(),
						Row.verdict(memory.proxyThreads() <= memory.transportThreads() + 8)));
	}

	private static List<Boolean> threadPasses(String threads) {
		boolean hasVirtual = Runtime.version().feature() >= 21;
		String chosen = threads.isBlank() ? (hasVirtual ? "both" : "platform") : threads.trim();
		List<Boolean> passes = switch (chosen) {
			case "platform" -> List.of(false);
			case "virtual" -> List.of(true);
			case "both" -> List.of(false, true);
			default -> throw new IllegalArgumentException(
					"bench.threads must be platform, virtual or both, was '" + threads + "'");
		};
		if (passes.contains(true) && !hasVirtual) {
			throw new IllegalArgumentException("virtual threads need Java 21 or later; this is Java "
					+ Runtime.version().feature() + " (use -Dbench.java=...)");
		}
		return passes;
	}

	private boolean measureCost(CostPlan plan) throws Exception {
		Payload[] payloads = Payload.parse(PAYLOADS);
		try (CostHarness harness = new CostHarness(plan, payloads, (bytes) -> new int[] { 1 }, this.report)) {
			harness.describe();
			harness.checkRelease();
			CostTables tables = new CostTables(harness.measureRuns());
			tables.print(this.report.out());
			boolean clean = harness.printChecks();
			GoalRows.cost(tables, plan).forEach(this.table::add);
			return clean;
		}
	}

	private static String threads(boolean virtual) {
		return virtual ? "virtual threads" : "platform threads";
	}

	private List<List<ScaleBenchmark.Row>> measureScale(ScalePlan plan, List<Boolean> passes) throws Exception {
		List<List<ScaleBenchmark.Row>> all = new ArrayList<>();
		try (ScaleRig rig = ScaleRig.start(plan.maxPending())) {
			for (boolean virtual : passes) {
				ScaleBenchmark pass = new ScaleBenchmark(plan, virtual, this.report, this.anomalies);
				this.report.out().println();
				pass.describe(rig.server().address());
				List<ScaleBenchmark.Row> rows = pass.measure(rig);
				pass.printTable(rows);
				all.add(rows);
			}
		}
		return all;
	}

	private void printTable(double loadBefore, long started, CostPlan cost, ScalePlan scale) throws Exception {
		this.table.headerLine("generated by `GoalsBenchmark`, "
				+ ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
		this.table.headerLine(
				String.format(Locale.ROOT, "%s %s (%s), %d CPUs, %s %s, heap %d MB", System.getProperty("java.vm.name"),
						System.getProperty("java.version"), System.getProperty("java.vendor"),
						Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
						System.getProperty("os.arch"), Runtime.getRuntime().maxMemory() / (1024 * 1024)));
		this.table.headerLine(String.format(Locale.ROOT, "load average %.2f before, %.2f after; the run took %.1f min",
				loadBefore, this.report.loadAverage(), (System.nanoTime() - started) / 60e9));
		this.table.headerLine("command: `" + command() + "`");
		this.table.headerLine(String.format(Locale.ROOT,
				"mode %s; one caller: %d run(s), each per payload a JIT warm-up of %d x %d s and a warm-up of %d s"
						+ " per client, then %d alternating round(s) of %d s per client; scale: %s",
				this.quick ? "QUICK (a smoke run: its numbers mean nothing)" : "FULL", cost.runs(), cost.warmupSlices(),
				cost.warmupSlice().toSeconds(), cost.warmup().toSeconds(), cost.rounds(), cost.round().toSeconds(),
				scale.describe()));
		String markdown = this.table.markdown();
		this.report.out().println();
		this.report.out().print(markdown);
		this.report.out().println();
		Path file = Path.of(System.getProperty("bench.target", "target"), "goals.md");
		this.table.write(file);
		this.report.out().printf(Locale.ROOT, "table       written to %s%n", file.toAbsolutePath());
	}

	/**
	 * The command that made this run: Maven's command line when Maven started it (its
	 * launcher exports it), this JVM's otherwise.
	 */
	private static String command() {
		String maven = System.getenv("MAVEN_CMD_LINE_ARGS");
		if (maven != null && !maven.isBlank()) {
			return "mvn " + maven.trim();
		}
		return ProcessHandle.current().info().commandLine().orElse("java ... " + GoalsBenchmark.class.getName());
	}

}
