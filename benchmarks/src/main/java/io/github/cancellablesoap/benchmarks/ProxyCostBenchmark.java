package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

import io.github.cancellablesoap.benchmarks.CostLevel.Round;
import io.github.cancellablesoap.benchmarks.LoopbackServer.Count;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.transport.http.ClientHttpRequestMessageSender;

/**
 * Measures, in one JVM, what a call through a {@link ServiceProxy} costs next to the same
 * call through a plain {@link WebServiceTemplate} configured as Spring Boot does by
 * default ({@link ClientHttpRequestMessageSender} over
 * {@link HttpComponentsClientHttpRequestFactory}, Apache HttpClient 5 classic).
 * <p>
 * Both clients call one answering {@link LoopbackServer} with the same small payload, at
 * 1 and at 16 concurrent callers. After a warm-up, measured rounds of a fixed duration
 * alternate between the clients (plain, proxy, plain, proxy, ...) so that machine noise
 * spreads over both. Every response is checked; any failure is reported and makes the
 * program exit with status 1.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass (about 20 seconds) instead of the
 * full run (about 2.5 minutes).
 *
 * @author Cancellable SOAP
 */
public final class ProxyCostBenchmark {

	/** The payload both clients send. */
	static final String REQUEST = "<b:EchoRequest xmlns:b=\"" + LoopbackServer.NAMESPACE + "\">" + "<b:id>42</b:id>"
			+ "<b:customer><b:name>Ada Lovelace</b:name><b:email>ada@example.org</b:email>"
			+ "<b:country>GB</b:country></b:customer>"
			+ "<b:items><b:item sku=\"A-1001\" quantity=\"2\">Analytical engine gear</b:item>"
			+ "<b:item sku=\"B-2002\" quantity=\"1\">Punched card reader</b:item>"
			+ "<b:item sku=\"C-3003\" quantity=\"5\">Brass column</b:item></b:items>"
			+ "<b:note>Deliver to the front desk between nine and five.</b:note>" + "</b:EchoRequest>";

	private static final int[] CALLER_COUNTS = { 1, 16 };

	private static final int MAX_CALLERS = Arrays.stream(CALLER_COUNTS).max().orElse(1);

	private static final int POOL_SIZE = 64;

	private final Plan plan;

	private final BenchReport report = new BenchReport();

	private final LoopbackServer server;

	private ProxyCostBenchmark(Plan plan, LoopbackServer server) {
		this.plan = plan;
		this.server = server;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; use {@code -Dbench.quick=true} for a short run
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		Plan plan = Boolean.getBoolean("bench.quick") ? Plan.QUICK : Plan.FULL;
		LoopbackServer server = new LoopbackServer(LoopbackServer.Reply.ANSWER, "EchoRequest");
		server.start();
		try {
			new ProxyCostBenchmark(plan, server).run();
		}
		finally {
			server.stop();
		}
	}

	private void run() throws Exception {
		URI address = this.server.address();
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
		AtomicInteger threads = new AtomicInteger();
		ExecutorService callers = Executors.newFixedThreadPool(MAX_CALLERS, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-caller-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		boolean clean;
		try {
			printHeader(address);
			warmUp(callers, plain, proxied);
			List<CostLevel> levels = new ArrayList<>();
			for (int count : CALLER_COUNTS) {
				levels.add(measure(callers, count, plain, proxied));
			}
			CostLevel.printTable(levels, this.report.out());
			clean = printChecks(plain, proxied);
		}
		finally {
			proxy.close();
			timer.shutdown();
			httpClient.close();
			callers.shutdownNow();
		}
		this.report.result(clean, "every call did a full, verified request and response");
	}

	private void warmUp(ExecutorService callers, Contender plain, Contender proxied) throws Exception {
		this.report.out()
			.printf(Locale.ROOT, "# JIT warm-up: %d x %d s per client at %d callers, calls/s:%n",
					this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(), MAX_CALLERS);
		for (int i = 0; i < this.plan.warmupSlices(); i++) {
			Round plainRound = runRound(callers, plain, MAX_CALLERS, this.plan.warmupSlice());
			Round proxyRound = runRound(callers, proxied, MAX_CALLERS, this.plan.warmupSlice());
			this.report.out()
				.printf(Locale.ROOT, "#   plain %8.0f   proxy %8.0f%n", plainRound.throughput(),
						proxyRound.throughput());
		}
	}

	private CostLevel measure(ExecutorService callers, int count, Contender plain, Contender proxied) throws Exception {
		this.report.out()
			.printf(Locale.ROOT, "# %d caller(s): warm-up %d s per client, then %d x %d s rounds per client%n", count,
					this.plan.warmup().toSeconds(), this.plan.rounds(), this.plan.round().toSeconds());
		runRound(callers, plain, count, this.plan.warmup());
		runRound(callers, proxied, count, this.plan.warmup());
		CostLevel level = new CostLevel(count);
		for (int i = 0; i < this.plan.rounds(); i++) {
			level.plain().add(runRound(callers, plain, count, this.plan.round()));
			level.proxy().add(runRound(callers, proxied, count, this.plan.round()));
		}
		return level;
	}

	private Round runRound(ExecutorService callers, Contender contender, int count, Duration duration)
			throws Exception {
		System.gc();
		this.server.resetClients();
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<CallLoop>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(callers.submit(() -> CallLoop.run(contender, ready, go, deadline)));
		}
		ready.await();
		long cpuBefore = this.report.processCpuNanos();
		long start = System.nanoTime();
		deadline.set(start + duration.toNanos());
		go.countDown();
		List<Samples> samples = new ArrayList<>(count);
		long end = start;
		for (Future<CallLoop> future : futures) {
			CallLoop loop = future.get();
			samples.add(loop.latencies());
			end = Math.max(end, loop.lastEnd());
		}
		long cpuAfter = this.report.processCpuNanos();
		long cpu = (cpuBefore < 0 || cpuAfter < 0) ? -1 : cpuAfter - cpuBefore;
		return new Round(Samples.concat(samples), end - start, cpu, this.server.clients());
	}

	private void printHeader(URI address) {
		PrintStream out = this.report.out();
		this.report.header("Cancellable SOAP proxy cost benchmark");
		out.printf(Locale.ROOT, "libraries   spring-ws %s, spring-web %s, httpclient5 %s%n",
				version(WebServiceTemplate.class), version(HttpComponentsClientHttpRequestFactory.class),
				version(CloseableHttpClient.class));
		out.printf(Locale.ROOT,
				"server      raw ServerSocket at %s, thread per connection, canned SOAP 1.1 response of %d bytes%n",
				address, LoopbackServer.responseSize());
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
		this.report.headerEnd();
	}

	private boolean printChecks(Contender plain, Contender proxied) {
		PrintStream out = this.report.out();
		long succeeded = plain.succeeded() + proxied.succeeded();
		boolean clean = true;
		for (Contender contender : List.of(plain, proxied)) {
			clean &= contender.printCheck(out);
		}
		out.printf(Locale.ROOT, "checks      server: %d answered, %d rejected%n", this.server.count(Count.ANSWERED),
				this.server.count(Count.REJECTED));
		if (this.server.count(Count.REJECTED) > 0 || this.server.count(Count.ANSWERED) != succeeded) {
			clean = false;
			out.printf(Locale.ROOT, "            server answered %d requests, clients verified %d responses%n",
					this.server.count(Count.ANSWERED), succeeded);
		}
		return clean;
	}

	private static String version(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return (version != null) ? version : "?";
	}

	/**
	 * How long the run takes.
	 *
	 * @param name the mode's name in the report
	 * @param warmupSlices JIT warm-up rounds per client at the most callers
	 * @param warmupSlice the length of one JIT warm-up round
	 * @param warmup the warm-up per client at each level
	 * @param rounds measured rounds per client at each level
	 * @param round the length of one measured round
	 */
	private record Plan(String name, int warmupSlices, Duration warmupSlice, Duration warmup, int rounds,
			Duration round) {

		static final Plan FULL = new Plan("FULL", 4, Duration.ofSeconds(4), Duration.ofSeconds(3), 5,
				Duration.ofSeconds(5));

		static final Plan QUICK = new Plan("QUICK", 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
				Duration.ofSeconds(1));

	}

	/**
	 * What one caller thread did in a round: the latencies of its successful calls and
	 * when its last call ended.
	 */
	private record CallLoop(Samples latencies, long lastEnd) {

		static CallLoop run(Contender contender, CountDownLatch ready, CountDownLatch go, AtomicLong deadline)
				throws InterruptedException {
			Samples samples = new Samples(1 << 15);
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
			return new CallLoop(samples, now);
		}

	}

}
