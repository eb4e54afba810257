package io.github.cancellablesoap.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.sun.management.OperatingSystemMXBean;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.transport.http.ClientHttpRequestMessageSender;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * Measures, in one JVM, what a call through a {@link ServiceProxy} costs next to the same
 * call through a plain {@link WebServiceTemplate} configured as Spring Boot does by
 * default ({@link ClientHttpRequestMessageSender} over
 * {@link HttpComponentsClientHttpRequestFactory}, Apache HttpClient 5 classic).
 * <p>
 * Both clients call one loopback SOAP server with the same small payload, at 1 and at 16
 * concurrent callers. After a warm-up, measured rounds of a fixed duration alternate
 * between the clients (plain, proxy, plain, proxy, ...) so that machine noise spreads
 * over both. Every response is checked; any failure is reported and makes the program
 * exit with status 1.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass (about 20 seconds) instead of the
 * full run (about 2.5 minutes).
 *
 * @author Cancellable SOAP
 */
public final class ProxyCostBenchmark {

	static final String NAMESPACE = "urn:cancellable-soap:bench";

	private static final String REQUEST = "<b:EchoRequest xmlns:b=\"" + NAMESPACE + "\">" + "<b:id>42</b:id>"
			+ "<b:customer><b:name>Ada Lovelace</b:name><b:email>ada@example.org</b:email>"
			+ "<b:country>GB</b:country></b:customer>"
			+ "<b:items><b:item sku=\"A-1001\" quantity=\"2\">Analytical engine gear</b:item>"
			+ "<b:item sku=\"B-2002\" quantity=\"1\">Punched card reader</b:item>"
			+ "<b:item sku=\"C-3003\" quantity=\"5\">Brass column</b:item></b:items>"
			+ "<b:note>Deliver to the front desk between nine and five.</b:note>" + "</b:EchoRequest>";

	private static final int[] CALLER_COUNTS = { 1, 16 };

	private static final int SERVER_THREADS = 32;

	private static final int POOL_SIZE = 64;

	private final Plan plan;

	private final PrintStream report;

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private ProxyCostBenchmark(Plan plan, PrintStream report) {
		this.plan = plan;
		this.report = report;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; use {@code -Dbench.quick=true} for a short run
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		Plan plan = Boolean.getBoolean("bench.quick") ? Plan.QUICK : Plan.FULL;
		// The benchmark's report: a plain-text table on standard output.
		PrintStream report = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		boolean clean = new ProxyCostBenchmark(plan, report).run();
		report.flush();
		if (!clean) {
			System.exit(1);
		}
	}

	private boolean run() throws Exception {
		LoopbackSoapServer server = new LoopbackSoapServer(SERVER_THREADS);
		server.start();
		URI address = server.address();
		CloseableHttpClient httpClient = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(POOL_SIZE)
				.setMaxConnPerRoute(POOL_SIZE)
				.build())
			.build();
		WebServiceTemplate plainTemplate = new WebServiceTemplate();
		plainTemplate.setMessageSender(
				new ClientHttpRequestMessageSender(new HttpComponentsClientHttpRequestFactory(httpClient)));
		plainTemplate.setDefaultUri(address.toString());
		CancellationTimer timer = new CancellationTimer("bench");
		DefaultServiceProxy proxy = ServiceProxyFactory.create(
				ProxySettings.builder("bench", address).maxPendingCalls(POOL_SIZE).build(), new WebServiceTemplate(),
				timer);
		proxy.open();
		Contender plain = new Contender("plain", plainTemplate);
		Contender proxied = new Contender("proxy", proxy);
		ExecutorService callers = Executors.newFixedThreadPool(Arrays.stream(CALLER_COUNTS).max().orElse(1),
				threads("bench-caller-"));
		try {
			printHeader(address);
			warmUp(server, callers, plain, proxied);
			List<Level> levels = new ArrayList<>();
			for (int count : CALLER_COUNTS) {
				levels.add(measure(server, callers, count, plain, proxied));
			}
			printTable(levels);
			return printChecks(server, plain, proxied);
		}
		finally {
			proxy.close();
			timer.shutdown();
			httpClient.close();
			callers.shutdownNow();
			server.stop();
		}
	}

	private void warmUp(LoopbackSoapServer server, ExecutorService callers, Contender plain, Contender proxied)
			throws Exception {
		int count = Arrays.stream(CALLER_COUNTS).max().orElse(1);
		this.report.printf(Locale.ROOT, "# JIT warm-up: %d x %d s per client at %d callers, calls/s:%n",
				this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(), count);
		for (int i = 0; i < this.plan.warmupSlices(); i++) {
			Round plainRound = runRound(server, callers, plain, count, this.plan.warmupSlice());
			Round proxyRound = runRound(server, callers, proxied, count, this.plan.warmupSlice());
			this.report.printf(Locale.ROOT, "#   plain %8.0f   proxy %8.0f%n", plainRound.throughput(),
					proxyRound.throughput());
		}
	}

	private Level measure(LoopbackSoapServer server, ExecutorService callers, int count, Contender plain,
			Contender proxied) throws Exception {
		this.report.printf(Locale.ROOT, "# %d caller(s): warm-up %d s per client, then %d x %d s rounds per client%n",
				count, this.plan.warmup().toSeconds(), this.plan.rounds(), this.plan.round().toSeconds());
		runRound(server, callers, plain, count, this.plan.warmup());
		runRound(server, callers, proxied, count, this.plan.warmup());
		Level level = new Level(count);
		for (int i = 0; i < this.plan.rounds(); i++) {
			level.plain().add(runRound(server, callers, plain, count, this.plan.round()));
			level.proxy().add(runRound(server, callers, proxied, count, this.plan.round()));
		}
		return level;
	}

	private Round runRound(LoopbackSoapServer server, ExecutorService callers, Contender contender, int count,
			Duration duration) throws Exception {
		System.gc();
		server.resetConnections();
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<Samples>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(callers.submit(() -> callLoop(contender, ready, go, deadline)));
		}
		ready.await();
		long cpuBefore = this.os.getProcessCpuTime();
		long start = System.nanoTime();
		deadline.set(start + duration.toNanos());
		go.countDown();
		List<Samples> samples = new ArrayList<>(count);
		long end = start;
		for (Future<Samples> future : futures) {
			Samples sample = future.get();
			samples.add(sample);
			end = Math.max(end, sample.lastEnd);
		}
		long cpuAfter = this.os.getProcessCpuTime();
		long cpu = (cpuBefore < 0 || cpuAfter < 0) ? -1 : cpuAfter - cpuBefore;
		return new Round(Samples.concat(samples), end - start, cpu, server.connections());
	}

	private Samples callLoop(Contender contender, CountDownLatch ready, CountDownLatch go, AtomicLong deadline)
			throws InterruptedException {
		Samples samples = new Samples();
		ready.countDown();
		go.await();
		long end = deadline.get();
		long now = System.nanoTime();
		while (now < end) {
			boolean ok = contender.call();
			long done = System.nanoTime();
			if (ok) {
				samples.add(done - now);
			}
			now = done;
		}
		samples.lastEnd = now;
		return samples;
	}

	private void printHeader(URI address) {
		PrintStream out = this.report;
		out.println("Cancellable SOAP proxy cost benchmark");
		out.printf(Locale.ROOT, "date        %s%n", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
		out.printf(Locale.ROOT, "jvm         %s %s, %d available processors, %s %s%n",
				System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
				System.getProperty("os.arch"));
		out.printf(Locale.ROOT, "libraries   spring-ws %s, spring-web %s, httpclient5 %s%n",
				version(WebServiceTemplate.class), version(HttpComponentsClientHttpRequestFactory.class),
				version(CloseableHttpClient.class));
		out.printf(Locale.ROOT, "server      JDK HttpServer at %s, %d threads, canned SOAP 1.1 response of %d bytes%n",
				address, SERVER_THREADS, LoopbackSoapServer.responseSize());
		out.printf(Locale.ROOT, "request     %d-byte payload in a SOAP 1.1 envelope (SAAJ message factory)%n",
				REQUEST.getBytes(StandardCharsets.UTF_8).length);
		out.printf(Locale.ROOT,
				"plain       WebServiceTemplate + ClientHttpRequestMessageSender + HttpComponentsClientHttpRequestFactory,"
						+ " pooled classic client (%d total / %d per route)%n",
				POOL_SIZE, POOL_SIZE);
		out.printf(Locale.ROOT, "proxy       DefaultServiceProxy from ServiceProxyFactory, maxPendingCalls %d%n",
				POOL_SIZE);
		out.printf(Locale.ROOT,
				"mode        %s: JIT warm-up %d x %d s per client, then per level a %d s warm-up per client and"
						+ " %d alternating rounds of %d s per client%n",
				this.plan.name(), this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(),
				this.plan.warmup().toSeconds(), this.plan.rounds(), this.plan.round().toSeconds());
		out.printf(Locale.ROOT, "load        system load average %.2f at start (other processes share the CPUs)%n",
				this.os.getSystemLoadAverage());
		out.println();
	}

	private void printTable(List<Level> levels) {
		PrintStream out = this.report;
		out.println();
		out.println("Latency per call (microseconds), throughput (calls/s), process CPU per call (microseconds,");
		out.println("client and server together), connections used per round (max):");
		out.println();
		out.printf(Locale.ROOT, "%-8s %-6s %9s %8s %8s %8s %8s %10s %9s %6s%n", "callers", "client", "calls", "p50",
				"p90", "p99", "p99.9", "calls/s", "cpu/call", "conns");
		for (Level level : levels) {
			for (Totals totals : List.of(level.plain(), level.proxy())) {
				out.printf(Locale.ROOT, "%-8d %-6s %9d %8.1f %8.1f %8.1f %8.1f %10.0f %9s %6d%n", level.callers(),
						totals.name, totals.calls(), micros(totals.percentile(0.50)), micros(totals.percentile(0.90)),
						micros(totals.percentile(0.99)), micros(totals.percentile(0.999)), totals.throughput(),
						cpuText(totals.cpuPerCall()), totals.maxConnections());
			}
		}
		out.println();
		out.println("Ratios proxy / plain (latency and CPU: below 1.00 means the proxy is cheaper;");
		out.println("throughput: above 1.00 means the proxy is faster; \"paired\" is the median over rounds of");
		out.println("proxy round i / plain round i, which cancels slow drifts of the machine's load):");
		out.println();
		out.printf(Locale.ROOT, "%-8s %8s %8s %8s %10s %9s %14s%n", "callers", "p50", "p90", "p99", "calls/s",
				"cpu/call", "paired calls/s");
		for (Level level : levels) {
			Totals plain = level.plain();
			Totals proxy = level.proxy();
			double cpuRatio = (plain.cpuPerCall() > 0 && proxy.cpuPerCall() > 0)
					? proxy.cpuPerCall() / plain.cpuPerCall() : Double.NaN;
			out.printf(Locale.ROOT, "%-8d %8.2f %8.2f %8.2f %10.2f %9.2f %14.2f%n", level.callers(),
					ratio(proxy.percentile(0.50), plain.percentile(0.50)),
					ratio(proxy.percentile(0.90), plain.percentile(0.90)),
					ratio(proxy.percentile(0.99), plain.percentile(0.99)), proxy.throughput() / plain.throughput(),
					cpuRatio, level.pairedThroughputRatio());
		}
		out.println();
		out.println("Throughput of each round (calls/s), in the order they ran:");
		for (Level level : levels) {
			out.printf(Locale.ROOT, "%-3d callers  plain %s%n", level.callers(), level.plain().roundThroughputs());
			out.printf(Locale.ROOT, "%-3d callers  proxy %s%n", level.callers(), level.proxy().roundThroughputs());
		}
		out.println();
	}

	private boolean printChecks(LoopbackSoapServer server, Contender plain, Contender proxied) {
		PrintStream out = this.report;
		long succeeded = plain.succeeded.sum() + proxied.succeeded.sum();
		boolean clean = true;
		for (Contender contender : List.of(plain, proxied)) {
			long failed = contender.failed.sum();
			out.printf(Locale.ROOT, "checks      %s: %d calls verified, %d failed%n", contender.name,
					contender.succeeded.sum(), failed);
			if (failed > 0) {
				clean = false;
				out.printf(Locale.ROOT, "            first failure: %s%n", contender.firstFailure.get());
			}
		}
		out.printf(Locale.ROOT, "checks      server: %d answered, %d rejected%n", server.answered(), server.rejected());
		out.printf(Locale.ROOT, "load        system load average %.2f at the end%n", this.os.getSystemLoadAverage());
		if (server.rejected() > 0 || server.answered() != succeeded) {
			clean = false;
			out.printf(Locale.ROOT, "            server answered %d requests, clients verified %d responses%n",
					server.answered(), succeeded);
		}
		out.println(clean ? "RESULT      OK: every call did a full, verified request and response"
				: "RESULT      FAILED: the numbers above are not valid");
		return clean;
	}

	private static String version(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return (version != null) ? version : "?";
	}

	private static double micros(long nanos) {
		return nanos / 1000.0;
	}

	private static double ratio(long value, long base) {
		return (base > 0) ? (double) value / base : Double.NaN;
	}

	private static String cpuText(double cpuNanosPerCall) {
		return (cpuNanosPerCall > 0) ? String.format(Locale.ROOT, "%.1f", cpuNanosPerCall / 1000.0) : "n/a";
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * How long the run takes.
	 */
	private enum Plan {

		FULL(4, Duration.ofSeconds(4), Duration.ofSeconds(3), 5, Duration.ofSeconds(5)),

		QUICK(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(1));

		private final int warmupSlices;

		private final Duration warmupSlice;

		private final Duration warmup;

		private final int rounds;

		private final Duration round;

		Plan(int warmupSlices, Duration warmupSlice, Duration warmup, int rounds, Duration round) {
			this.warmupSlices = warmupSlices;
			this.warmupSlice = warmupSlice;
			this.warmup = warmup;
			this.rounds = rounds;
			this.round = round;
		}

		int warmupSlices() {
			return this.warmupSlices;
		}

		Duration warmupSlice() {
			return this.warmupSlice;
		}

		Duration warmup() {
			return this.warmup;
		}

		int rounds() {
			return this.rounds;
		}

		Duration round() {
			return this.round;
		}

	}

	/**
	 * One client under test, with its own tally of verified and failed calls (warm-up
	 * included).
	 */
	private static final class Contender {

		private final String name;

		private final WebServiceOperations operations;

		private final LongAdder succeeded = new LongAdder();

		private final LongAdder failed = new LongAdder();

		private final AtomicReference<String> firstFailure = new AtomicReference<>();

		Contender(String name, WebServiceOperations operations) {
			this.name = name;
			this.operations = operations;
		}

		/**
		 * Make one call and check its response.
		 * @return {@code true} when the call returned the expected response
		 */
		boolean call() {
			try {
				StringResult result = new StringResult();
				boolean received = this.operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), result);
				String body = result.toString();
				if (received && body.contains("EchoResponse") && body.contains(">ok<") && body.contains("9f2c61d0")) {
					this.succeeded.increment();
					return true;
				}
				fail("unexpected response (received=" + received + "): " + body);
			}
			catch (RuntimeException ex) {
				fail(ex.toString());
			}
			return false;
		}

		private void fail(String why) {
			this.failed.increment();
			this.firstFailure.compareAndSet(null, why);
		}

	}

	/**
	 * Latencies of successful calls, in nanoseconds, recorded by one caller thread.
	 */
	private static final class Samples {

		private long[] values = new long[1 << 15];

		private int size;

		private long lastEnd;

		void add(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		static long[] concat(List<Samples> all) {
			int total = all.stream().mapToInt((samples) -> samples.size).sum();
			long[] merged = new long[total];
			int at = 0;
			for (Samples samples : all) {
				System.arraycopy(samples.values, 0, merged, at, samples.size);
				at += samples.size;
			}
			return merged;
		}

	}

	/**
	 * One measured round of one client.
	 *
	 * @param latencies latencies of the successful calls, in nanoseconds
	 * @param wallNanos from the start signal to the end of the last call
	 * @param cpuNanos process CPU time used during the round, or -1 when unknown
	 * @param connections distinct connections the server saw during the round
	 */
	private record Round(long[] latencies, long wallNanos, long cpuNanos, int connections) {

		double throughput() {
			return this.latencies.length * 1e9 / this.wallNanos;
		}

	}

	/**
	 * All measured rounds of one client at one concurrency level.
	 */
	private static final class Totals {

		private final String name;

		private final List<Round> rounds = new ArrayList<>();

		private long[] sorted;

		Totals(String name) {
			this.name = name;
		}

		void add(Round round) {
			this.rounds.add(round);
			this.sorted = null;
		}

		long calls() {
			return this.rounds.stream().mapToLong((round) -> round.latencies().length).sum();
		}

		double throughput() {
			long wall = this.rounds.stream().mapToLong(Round::wallNanos).sum();
			return calls() * 1e9 / wall;
		}

		double cpuPerCall() {
			if (this.rounds.stream().anyMatch((round) -> round.cpuNanos() < 0)) {
				return -1;
			}
			return (double) this.rounds.stream().mapToLong(Round::cpuNanos).sum() / calls();
		}

		int maxConnections() {
			return this.rounds.stream().mapToInt(Round::connections).max().orElse(0);
		}

		long percentile(double quantile) {
			if (this.sorted == null) {
				long[] all = new long[(int) calls()];
				int at = 0;
				for (Round round : this.rounds) {
					System.arraycopy(round.latencies(), 0, all, at, round.latencies().length);
					at += round.latencies().length;
				}
				Arrays.sort(all);
				this.sorted = all;
			}
			if (this.sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.ceil(quantile * this.sorted.length) - 1;
			return this.sorted[Math.max(0, Math.min(index, this.sorted.length - 1))];
		}

		String roundThroughputs() {
			StringBuilder text = new StringBuilder();
			for (Round round : this.rounds) {
				text.append(String.format(Locale.ROOT, " %8.0f", round.throughput()));
			}
			return text.toString();
		}

	}

	/**
	 * The measured rounds of both clients at one concurrency level.
	 */
	private static final class Level {

		private final int callers;

		private final Totals plain = new Totals("plain");

		private final Totals proxy = new Totals("proxy");

		Level(int callers) {
			this.callers = callers;
		}

		int callers() {
			return this.callers;
		}

		Totals plain() {
			return this.plain;
		}

		Totals proxy() {
			return this.proxy;
		}

		double pairedThroughputRatio() {
			int pairs = Math.min(this.plain.rounds.size(), this.proxy.rounds.size());
			double[] ratios = new double[pairs];
			for (int i = 0; i < pairs; i++) {
				ratios[i] = this.proxy.rounds.get(i).throughput() / this.plain.rounds.get(i).throughput();
			}
			Arrays.sort(ratios);
			if (pairs == 0) {
				return Double.NaN;
			}
			return (pairs % 2 == 1) ? ratios[pairs / 2] : (ratios[pairs / 2 - 1] + ratios[pairs / 2]) / 2;
		}

	}

}
