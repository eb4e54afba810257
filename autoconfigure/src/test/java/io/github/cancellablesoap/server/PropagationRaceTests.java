package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen threads race operation cancels against the admission of downstream calls made
 * with the operation's context attached, on a real proxy and real sockets: every call
 * ends exactly once (aborted with the upstream reason, or answered when it won), none is
 * left in the registry, the gauges' counts are back to zero, and an operation that
 * outlives its calls holds none of their listeners.
 */
class PropagationRaceTests {

	private static final int THREADS = 16;

	private static final int ROUNDS = 40;

	private static final long MAX_CANCEL_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

	private final CancellationTimer timer = new CancellationTimer("propagation-race");

	private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);

	private final ExecutorService cancellers = Executors.newFixedThreadPool(THREADS);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final AtomicInteger operationIds = new AtomicInteger();

	private final AtomicInteger callsMade = new AtomicInteger();

	@AfterEach
	void stop() throws Exception {
		this.callers.shutdownNow();
		this.cancellers.shutdownNow();
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.timer.shutdown();
	}

	@Test
	void cancelsRacingAdmissionAbortEveryCallToAHungPeerAndLeaveNothingBehind() throws Exception {
		ScriptedHttpServer hung = server(Behaviour.hangBeforeHeaders());
		DefaultServiceProxy proxy = proxy(hung);
		AtomicInteger aborted = new AtomicInteger();
		race(proxy, (operation) -> {
			try {
				call(proxy);
				fail("a hung peer never answers; the call must have been aborted");
			}
			catch (CallAbortedException ex) {
				assertThat(ex.getReason())
					.isEqualTo("upstream operation " + operation.operationId() + " was cancelled (OPERATOR: race)");
				aborted.incrementAndGet();
			}
		});
		assertThat(aborted).hasValue(THREADS * ROUNDS);
		assertEverythingReleased(proxy);
		assertThat(this.meters.get(MeterCallListener.ABORTS).tag("reason", "upstream-cancelled").counter().count())
			.isEqualTo(THREADS * ROUNDS);
		List<ServerConnection> connections = hung.connections();
		assertThat(connections).as("some calls got as far as the peer")
			.anySatisfy((connection) -> assertThat(connection.requestCount()).isPositive());
		for (ServerConnection connection : connections) {
			if (connection.requestCount() > 0) {
				assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("%s carried a request", connection)
					.isTrue();
			}
		}
		// connections leased but never written to may wait in the pool until it closes
		proxy.close();
		for (ServerConnection connection : connections) {
			assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("%s", connection).isTrue();
		}
	}

	@Test
	void cancelsRacingCallsToAnAnsweringPeerEndEachCallOnceAndSteadyOperationsKeepNoListener() throws Exception {
		ScriptedHttpServer echo = server(Behaviour.respond(200, "text/xml; charset=utf-8",
				HostTestSupport.envelope("<echoed xmlns=\"urn:t\"/>")));
		DefaultServiceProxy proxy = proxy(echo);
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger aborted = new AtomicInteger();
		List<Operation> steady = new ArrayList<>();
		List<Integer> baselines = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			Operation operation = operation();
			steady.add(operation);
			baselines.add(operation.scope().waiting());
		}
		AtomicInteger thread = new AtomicInteger();
		ThreadLocal<Operation> own = ThreadLocal.withInitial(() -> steady.get(thread.getAndIncrement()));
		race(proxy, (operation) -> {
			try {
				call(proxy);
				answered.incrementAndGet();
			}
			catch (CallAbortedException ex) {
				assertThat(ex.getReason()).startsWith("upstream operation " + operation.operationId());
				aborted.incrementAndGet();
			}
			try (OperationContext.Attachment attached = own.get().attach()) {
				call(proxy);
			}
		});
		assertThat(answered.get() + aborted.get()).isEqualTo(THREADS * ROUNDS);
		assertThat(aborted.get()).as("cancels that won against an answer").isPositive();
		assertEverythingReleased(proxy);
		for (int i = 0; i < THREADS; i++) {
			assertThat(steady.get(i).isCancellationRequested()).isFalse();
			assertThat(steady.get(i).scope().waiting()).as("listeners left on a steady operation")
				.isEqualTo(baselines.get(i));
		}
	}

	/**
	 * Run rounds on sixteen threads: each makes a fresh operation, lets another thread
	 * cancel it the moment the caller attaches its context, and runs the body inside the
	 * attachment.
	 */
	private void race(DefaultServiceProxy proxy, RoundBody body) throws Exception {
		List<Future<?>> tasks = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			tasks.add(this.callers.submit(() -> {
				for (int round = 0; round < ROUNDS; round++) {
					Operation operation = operation();
					CountDownLatch attached = new CountDownLatch(1);
					long delayNanos = ThreadLocalRandom.current().nextLong(MAX_CANCEL_DELAY_NANOS);
					Future<?> cancel = this.cancellers.submit(() -> {
						attached.await();
						// spread the cancels over admission, marshalling, connecting and
						// waiting for the answer
						long until = System.nanoTime() + delayNanos;
						while (System.nanoTime() - until < 0) {
							Thread.onSpinWait();
						}
						return operation.cancel(CancelReason.OPERATOR, "race");
					});
					try (OperationContext.Attachment current = operation.attach()) {
						attached.countDown();
						body.run(operation);
					}
					cancel.get(10, TimeUnit.SECONDS);
					assertThat(OperationContext.findCurrent()).as("the attachment was closed").isEmpty();
				}
				return null;
			}));
		}
		for (Future<?> task : tasks) {
			task.get(120, TimeUnit.SECONDS);
		}
	}

	private void assertEverythingReleased(DefaultServiceProxy proxy) {
		await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.abandonedCalls()).isZero();
		assertThat(proxy.calls()).isEmpty();
		long ended = this.meters.get(MeterCallListener.CALLS).timers().stream().mapToLong(Timer::count).sum();
		assertThat(ended).as("calls that ended, each once").isEqualTo(this.callsMade.get());
	}

	private void call(DefaultServiceProxy proxy) {
		this.callsMade.incrementAndGet();
		call((WebServiceOperations) proxy);
	}

	private static void call(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<hello xmlns=\"urn:t\"/>"), result);
	}

	private Operation operation() {
		return new Operation("o-race-" + this.operationIds.incrementAndGet(), "relay", Ticker.SYSTEM, "127.0.0.1:1",
				null, null);
	}

	private DefaultServiceProxy proxy(ScriptedHttpServer server) {
		DefaultServiceProxy proxy = ServiceProxyFactory.create(
				ProxySettings.builder("downstream", server.uri("/ws")).callTimeout(Duration.ofSeconds(20)).build(),
				new WebServiceTemplate(), this.timer);
		proxy.setCallListener(new MeterCallListener(this.meters));
		proxy.open();
		this.resources.add(0, () -> {
			proxy.abort("test over");
			proxy.close();
		});
		return proxy;
	}

	private ScriptedHttpServer server(Behaviour behaviour) {
		ScriptedHttpServer server = ScriptedHttpServer.start(behaviour);
		this.resources.add(server);
		return server;
	}

	@FunctionalInterface
	private interface RoundBody {

		void run(Operation operation);

	}

}
