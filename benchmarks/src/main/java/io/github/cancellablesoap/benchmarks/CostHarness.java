package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
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
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import io.github.cancellablesoap.benchmarks.CostLevel.Round;
import io.github.cancellablesoap.benchmarks.LoopbackServer.Count;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * The side-by-side measurement of {@link ProxyCostBenchmark}, callable on its own (the
 * goals run uses it too): one answering {@link LoopbackServer}, three clients
 * ({@code plain}, {@code proxy} without listeners, {@code proxy+actuator} with
 * {@link ListenerSet#BOTH}), caller threads, and the alternating rounds of one run.
 * <p>
 * For each payload and caller count, after a warm-up, measured rounds of a fixed duration
 * alternate between the clients, each round starting with the next client, so that
 * machine noise spreads over all three. Every response is checked outside the measured
 * time; {@link #printChecks()} reports failures. {@link #checkRelease()} checks at each
 * payload size that abandon and abort of a waiting proxy call release its caller.
 * <p>
 * Not thread-safe: driven by the benchmark's main thread.
 */
final class CostHarness implements AutoCloseable {

	static final int MAX_CALLERS = 16;

	static final int POOL_SIZE = 64;

	private final CostPlan plan;

	private final Payload[] payloads;

	private final IntFunction<int[]> callerCounts;

	private final BenchReport report;

	private final LoopbackServer server;

	private final PlainClient plainClient;

	private final CancellationTimer timer = new CancellationTimer("bench");

	private final DefaultServiceProxy bare;

	private final DefaultServiceProxy observed;

	private final List<Contender> clients;

	private final ExecutorService callers;

	private final ReleaseSanity sanity;

	/**
	 * Start the server, the clients and the caller threads.
	 * @param plan how long each run takes
	 * @param payloads the payloads, in order
	 * @param callerCounts the concurrency levels to measure for a payload's size in bytes
	 * (at most {@link #MAX_CALLERS})
	 * @param report where to print and how to read the process CPU time
	 * @throws IOException when a server cannot bind
	 */
	CostHarness(CostPlan plan, Payload[] payloads, IntFunction<int[]> callerCounts, BenchReport report)
			throws IOException {
		this.plan = plan;
		this.payloads = payloads;
		this.callerCounts = callerCounts;
		this.report = report;
		this.server = new LoopbackServer(LoopbackServer.Reply.ANSWER, "EchoRequest");
		this.server.start();
		URI address = this.server.address();
		this.plainClient = PlainClient.of(address, POOL_SIZE);
		this.bare = proxy(address, this.timer, ListenerSet.NONE);
		this.observed = proxy(address, this.timer, ListenerSet.BOTH);
		this.clients = List.of(new Contender("plain", this.plainClient.template()), new Contender("proxy", this.bare),
				new Contender("proxy+actuator", this.observed));
		AtomicInteger threads = new AtomicInteger();
		this.callers = Executors.newFixedThreadPool(MAX_CALLERS, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-caller-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.sanity = new ReleaseSanity(ListenerSet.BOTH);
	}

	private static DefaultServiceProxy proxy(URI address, CancellationTimer timer, ListenerSet listeners) {
		return listeners.open(ServiceProxyFactory
			.create(ProxySettings.builder("bench-" + listeners.name().toLowerCase(Locale.ROOT), address)
				.maxPendingCalls(POOL_SIZE)
				.build(), new WebServiceTemplate(), timer));
	}

	CostPlan plan() {
		return this.plan;
	}

	/**
	 * Print what is measured: libraries, server, payloads, clients and the plan.
	 */
	void describe() {
		PrintStream out = this.report.out();
		out.printf(Locale.ROOT, "libraries   spring-ws %s, spring-web %s, httpclient5 %s%n",
				version(WebServiceTemplate.class), version(HttpComponentsClientHttpRequestFactory.class),
				version(CloseableHttpClient.class));
		out.printf(Locale.ROOT,
				"server      raw ServerSocket at %s, thread per connection, SOAP 1.1 response echoing the request's"
						+ " items%n",
				this.server.address());
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
	}

	/**
	 * Abandon one waiting proxy call and abort another at each payload size.
	 */
	void checkRelease() {
		for (Payload payload : this.payloads) {
			this.sanity.check(payload, this.report.out());
		}
	}

	/**
	 * Measure every run of the plan.
	 * @return each run's levels, in the same order in every run
	 * @throws Exception when the benchmark itself breaks
	 */
	List<List<CostLevel>> measureRuns() throws Exception {
		List<List<CostLevel>> runs = new ArrayList<>();
		for (int run = 1; run <= this.plan.runs(); run++) {
			runs.add(measureRun(run));
		}
		return runs;
	}

	private List<CostLevel> measureRun(int run) throws Exception {
		List<String> names = this.clients.stream().map(Contender::name).toList();
		List<CostLevel> levels = new ArrayList<>();
		for (Payload payload : this.payloads) {
			int[] counts = this.callerCounts.apply(payload.bytes());
			warmUp(run, payload, counts[counts.length - 1]);
			for (int count : counts) {
				this.report.out()
					.printf(Locale.ROOT,
							"# run %d, %s, %d caller(s): warm-up %d s per client, then %d x %d s rounds"
									+ " per client%n",
							run, payload.label(), count, this.plan.warmup().toSeconds(), this.plan.rounds(),
							this.plan.round().toSeconds());
				CostLevel level = new CostLevel(payload.label(), count, names);
				for (Contender client : this.clients) {
					runRound(client, payload, count, this.plan.warmup());
				}
				for (int i = 0; i < this.plan.rounds(); i++) {
					// each round starts with the next client, so that none always follows
					// the same one
					for (int k = 0; k < this.clients.size(); k++) {
						Contender client = this.clients.get((i + k) % this.clients.size());
						level.totals(client.name()).add(runRound(client, payload, count, this.plan.round()));
					}
				}
				levels.add(level);
			}
		}
		return levels;
	}

	private void warmUp(int run, Payload payload, int count) throws Exception {
		StringBuilder line = new StringBuilder(
				String.format(Locale.ROOT, "# run %d, %s: JIT warm-up %d x %d s per client at %d callers, calls/s:",
						run, payload.label(), this.plan.warmupSlices(), this.plan.warmupSlice().toSeconds(), count));
		for (int i = 0; i < this.plan.warmupSlices(); i++) {
			for (Contender client : this.clients) {
				Round round = runRound(client, payload, count, this.plan.warmupSlice());
				line.append(String.format(Locale.ROOT, " %s %.0f", client.name(), round.throughput()));
			}
		}
		this.report.out().println(line);
	}

	private Round runRound(Contender contender, Payload payload, int count, Duration duration) throws Exception {
		System.gc();
		this.server.resetClients();
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<CallLoop>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(this.callers.submit(() -> CallLoop.run(contender, payload, ready, go, deadline)));
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

	/**
	 * Print the check lines: every client's verified and failed calls, the server's count
	 * and the sanity check of abandon and abort.
	 * @return whether every check passed
	 */
	boolean printChecks() {
		PrintStream out = this.report.out();
		long succeeded = this.clients.stream().mapToLong(Contender::succeeded).sum();
		boolean clean = true;
		for (Contender contender : this.clients) {
			clean &= contender.printCheck(out);
		}
		out.printf(Locale.ROOT, "checks      server: %d answered, %d rejected%n", this.server.count(Count.ANSWERED),
				this.server.count(Count.REJECTED));
		if (this.server.count(Count.REJECTED) > 0 || this.server.count(Count.ANSWERED) != succeeded) {
			clean = false;
			out.printf(Locale.ROOT, "            server answered %d requests, clients verified %d responses%n",
					this.server.count(Count.ANSWERED), succeeded);
		}
		return this.sanity.anomalies().print(out, "sanity of abandon and abort: ") && clean;
	}

	@Override
	public void close() throws IOException {
		try {
			this.sanity.close();
			this.bare.close();
			this.observed.close();
			this.timer.shutdown();
			this.plainClient.close();
			this.callers.shutdownNow();
		}
		finally {
			this.server.stop();
		}
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
