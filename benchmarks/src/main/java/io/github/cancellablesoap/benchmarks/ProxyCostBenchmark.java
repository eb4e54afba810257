package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import io.github.cancellablesoap.benchmarks.CostLevel.Round;
import io.github.cancellablesoap.benchmarks.LoopbackServer.Count;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Measures, in one JVM, what a call through a {@link ServiceProxy} costs next to the same
 * call through a plain {@link WebServiceTemplate} configured as Spring Boot does by
 * default ({@link PlainClient}).
 * <p>
 * Three clients call one answering {@link LoopbackServer}: {@code plain}, {@code proxy}
 * (no listener) and {@code proxy+actuator} (the meters and observations a Boot
 * application with the actuator puts on every proxy, {@link ListenerSet#BOTH}), with
 * payloads of about 0.5 KB, 10 KB and 1 MB (the server echoes the request's items, so the
 * response is about as large), at 1 and 16 concurrent callers (1 and 4 for payloads of
 * 256 KB or more, so that 16 parsed megabyte messages do not crowd the 512 MB heap). For
 * each payload and level, after a warm-up, measured rounds of a fixed duration alternate
 * between the clients, each round starting with the next client, so that machine noise
 * spreads over all three. The whole sequence is repeated {@code -Dbench.runs} times; the
 * report gives the spread of the ratios over the runs. Latencies go into HdrHistograms.
 * Every response is checked outside the measured time; any failure is reported and makes
 * the program exit with status 1.
 * <p>
 * Before measuring, {@link ReleaseSanity} checks at each payload size that an abandon and
 * an abort of a waiting proxy call release its caller.
 * <p>
 * {@code -Dbench.quick=true} runs a short sanity pass (about 2.5 minutes) instead of the
 * full run (about 6 minutes per run, 3 runs by default). {@code -Dbench.payloads=512,10k}
 * chooses the payload sizes.
 *
 * @author Cancellable SOAP
 */
public final class ProxyCostBenchmark {

	private static final String DEFAULT_PAYLOADS = "512,10k,1m";

	private static final int LARGE_PAYLOAD = 256 * 1024;

	private static final int MAX_CALLERS = 16;

	private static final int POOL_SIZE = 64;

	private final CostPlan plan;

	private final Payload[] payloads;

	private final BenchReport report = new BenchReport();

	private final LoopbackServer server;

	private ProxyCostBenchmark(CostPlan plan, Payload[] payloads, LoopbackServer server) {
		this.plan = plan;
		this.payloads = payloads;
		this.server = server;
	}

	/**
	 * Run the benchmark.
	 * @param args ignored; see the class description for the system properties
	 * @throws Exception when the benchmark itself breaks
	 */
	public static void main(String[] args) throws Exception {
		CostPlan plan = Boolean.getBoolean("bench.quick") ? CostPlan.QUICK : CostPlan.FULL;
		String runs = System.getProperty("bench.runs", "");
		if (!runs.isBlank()) {
			plan = plan.withRuns(Integer.parseInt(runs.trim()));
		}
		String sizes = System.getProperty("bench.payloads", "");
		Payload[] payloads = Payload.parse(sizes.isBlank() ? DEFAULT_PAYLOADS : sizes);
		LoopbackServer server = new LoopbackServer(LoopbackServer.Reply.ANSWER, "EchoRequest");
		server.start();
		try {
			new ProxyCostBenchmark(plan, payloads, server).run();
		}
		finally {
			server.stop();
		}
	}

	private void run() throws Exception {
		URI address = this.server.address();
		PlainClient plainClient = PlainClient.of(address, POOL_SIZE);
		CancellationTimer timer = new CancellationTimer("bench");
		DefaultServiceProxy bare = proxy(address, timer, ListenerSet.NONE);
		DefaultServiceProxy observed = proxy(address, timer, ListenerSet.BOTH);
		List<Contender> clients = List.of(new Contender("plain", plainClient.template()), new Contender("proxy", bare),
				new Contender("proxy+actuator", observed));
		AtomicInteger threads = new AtomicInteger();
		ExecutorService callers = Executors.newFixedThreadPool(MAX_CALLERS, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-caller-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		boolean clean;
		try (ReleaseSanity sanity = new ReleaseSanity(ListenerSet.BOTH)) {
			printHeader(address);
			for (Payload payload : this.payloads) {
				sanity.check(payload, this.report.out());
			}
			List<List<CostLevel>> runs = new ArrayList<>();
			for (int run = 1; run <= this.plan.runs(); run++) {
				runs.add(measureRun(run, callers, clients));
			}
			new CostTables(runs).print(this.report.out());
			clean = printChecks(clients, sanity.anomalies());
		}
		finally {
			bare.close();
			observed.close();
			timer.shutdown();
			plainClient.close();
			callers.shutdownNow();
		}
		this.report.result(clean, "every call did a full, verified request and response; abandon and abort"
				+ " released their callers at every payload size");
	}

	private static DefaultServiceProxy proxy(URI address, CancellationTimer timer, ListenerSet listeners) {
		return listeners.open(ServiceProxyFactory
			.create(ProxySettings.builder("bench-" + listeners.name().toLowerCase(Locale.ROOT), address)
				.maxPendingCalls(POOL_SIZE)
				.build(), new WebServiceTemplate(), timer));
	}

	private List<CostLevel> measureRun(int run, ExecutorService callers, List<Contender> clients) throws Exception {
		List<String> names = clients.stream().map(Contender::name).toList();
		List<CostLevel> levels = new ArrayList<>();
		for (Payload payload : this.payloads) {
			int[] counts = (payload.bytes() >= LARGE_PAYLOAD) ? new int[] { 1, 4 } : new int[] { 1, MAX_CALLERS };
			warmUp(run, callers, clients, payload, counts[1]);
			for (int count : counts) {
				this.report.out()
					.printf(Locale.ROOT,
							"# run %d, %s, %d caller(s): warm-up %d s per client, then %d x %d s rounds"
									+ " per client%n",
							run, payload.label(), count, this.plan.warmup().toSeconds(), this.plan.rounds(),
							this.plan.round().toSeconds());
				CostLevel level = new CostLevel(payload.label(), count, names);
				for (Contender client : clients) {
					runRound(callers, client, payload, count, this.plan.warmup());
				}
				for (int i = 0; i < this.plan.rounds(); i++) {
					// each round starts with the next client, so that none always follows
					// the same one
					for (int k = 0; k < clients.size(); k++) {
						Contender client = clients.get((i + k) % clients.size());
						level.totals(client.name()).add(runRound(callers, client, payload, count, this.plan.round()));
					}
				}
				levels.add(level);
			}
		}
		return levels;
	}

	private void warmUp(int run, ExecutorService callers, List<Contender> clients, Payload payload, int count)
			throws Exception {
		StringBuilder line = new StringBuilder(
				String.format(Locale.ROOT, "# run %d, %s: JIT warm-up %d x %d s per client at %d callers, calls/s:",
						run, payload.label(), this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(), count));
		for (int i = 0; i < this.plan.warmupSlices(); i++) {
			for (Contender client : clients) {
				Round round = runRound(callers, client, payload, count, this.plan.warmupSlice());
				line.append(String.format(Locale.ROOT, " %s %.0f", client.name(), round.throughput()));
			}
		}
		this.report.out().println(line);
	}

	private Round runRound(ExecutorService callers, Contender contender, Payload payload, int count, Duration duration)
			throws Exception {
		System.gc();
		this.server.resetClients();
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<CallLoop>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(callers.submit(() -> CallLoop.run(contender, payload, ready, go, deadline)));
		}
		ready.await();
		long cpuBefore = this.report.processCpuNanos();
		long start = System.nanoTime();
		deadline.set(start + duration.toNanos());
		go.countDown();
		Histogram latencies = new Histogram(3);
		long end = start;
		for (Future<CallLoop> future : futures) {
			CallLoop loop = future.get();
			latencies.add(loop.latencies());
			end = Math.max(end, loop.lastEnd());
		}
		long cpuAfter = this.report.processCpuNanos();
		long cpu = (cpuBefore < 0 || cpuAfter < 0) ? -1 : cpuAfter - cpuBefore;
		return new Round(latencies, end - start, cpu, this.server.clients());
	}

	private void printHeader(URI address) {
		PrintStream out = this.report.out();
		this.report.header("Cancellable SOAP proxy cost benchmark");
		out.printf(Locale.ROOT, "libraries   spring-ws %s, spring-web %s, httpclient5 %s%n",
				version(WebServiceTemplate.class), version(HttpComponentsClientHttpRequestFactory.class),
				version(CloseableHttpClient.class));
		out.printf(Locale.ROOT,
				"server      raw ServerSocket at %s, thread per connection, SOAP 1.1 response echoing the request's"
						+ " items%n",
				address);
		for (Payload payload : this.payloads) {
			out.printf(Locale.ROOT, "payload     %-8s %8d-byte request payload, %d items (SAAJ message factory)%n",
					payload.label(), payload.bytes(), payload.items());
		}
		out.printf(Locale.ROOT,
				"plain       WebServiceTemplate + ClientHttpRequestMessageSender + HttpComponentsClientHttpRequestFactory,"
						+ " pooled classic client (%d total / %d per route)%n",
				POOL_SIZE, POOL_SIZE);
		out.printf(Locale.ROOT,
				"proxy       DefaultServiceProxy from ServiceProxyFactory, maxPendingCalls %d," + " no call listener%n",
				POOL_SIZE);
		out.printf(Locale.ROOT, "proxy+actuator  the same with MeterCallListener and ObservationCallListener"
				+ " (SimpleMeterRegistry, DefaultMeterObservationHandler)%n");
		out.printf(Locale.ROOT,
				"mode        %s: %d run(s); per run and payload a JIT warm-up of %d x %d s per client, then per level"
						+ " a %d s warm-up per client and %d alternating rounds of %d s per client%n",
				this.plan.name(), this.plan.runs(), this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(),
				this.plan.warmup().toSeconds(), this.plan.rounds(), this.plan.round().toSeconds());
		this.report.headerEnd();
	}

	private boolean printChecks(List<Contender> clients, Anomalies sanity) {
		PrintStream out = this.report.out();
		long succeeded = clients.stream().mapToLong(Contender::succeeded).sum();
		boolean clean = true;
		for (Contender contender : clients) {
			clean &= contender.printCheck(out);
		}
		out.printf(Locale.ROOT, "checks      server: %d answered, %d rejected%n", this.server.count(Count.ANSWERED),
				this.server.count(Count.REJECTED));
		if (this.server.count(Count.REJECTED) > 0 || this.server.count(Count.ANSWERED) != succeeded) {
			clean = false;
			out.printf(Locale.ROOT, "            server answered %d requests, clients verified %d responses%n",
					this.server.count(Count.ANSWERED), succeeded);
		}
		out.printf(Locale.ROOT, "checks      sanity of abandon and abort: %d anomalies%n", sanity.count());
		sanity.listed().forEach((anomaly) -> out.printf(Locale.ROOT, "            %s%n", anomaly));
		return clean && sanity.count() == 0;
	}

	private static String version(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return (version != null) ? version : "?";
	}

	/**
	 * What one caller thread did in a round: the latencies of its verified calls and when
	 * its last call ended.
	 */
	private record CallLoop(Histogram latencies, long lastEnd) {

		static CallLoop run(Contender contender, Payload payload, CountDownLatch ready, CountDownLatch go,
				AtomicLong deadline) throws InterruptedException {
			Histogram latencies = new Histogram(3);
			ready.countDown();
			go.await();
			long end = deadline.get();
			long now = System.nanoTime();
			while (now < end) {
				String response = contender.call(payload);
				long done = System.nanoTime();
				if (contender.verify(payload, response)) {
					latencies.recordValue(done - now);
				}
				now = System.nanoTime();
			}
			return new CallLoop(latencies, now);
		}

	}

}
