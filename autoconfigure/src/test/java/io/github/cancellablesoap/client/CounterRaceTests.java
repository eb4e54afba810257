package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.ServiceProxyMeterBinder;
import io.github.cancellablesoap.test.http.Behaviour;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.WebServiceException;
import org.springframework.ws.client.core.WebServiceOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Counters stay exact whatever the interleaving: abandons, aborts, completions, caller
 * interrupts and timeouts race from many threads, and afterwards every gauge is back to
 * zero and the meters count exactly the outcomes the callers saw.
 */
class CounterRaceTests {

	private static final int CALLERS = 12;

	private static final int CALLS_PER_CALLER = 250;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void everyGaugeReturnsToZeroAndMetersEqualOutcomesAfterARandomizedRace() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(CALLERS * 2)
			.timeoutAction(TimeoutAction.ABANDON)
			.abandonedIoTimeout(Duration.ofSeconds(30)));
		proxy.setCallListener(new MeterCallListener(this.meters));
		new ServiceProxyMeterBinder(new ServiceProxies(List.of(proxy))).bindTo(this.meters);
		WebServiceOperations quick = proxy.withCallTimeout(Duration.ofMillis(1));
		Map<CallOutcome, Integer> seen = new EnumMap<>(CallOutcome.class);
		Queue<String> surprises = new ConcurrentLinkedQueue<>();
		List<Thread> callerThreads = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Future<Map<CallOutcome, Integer>>> callers = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			callers.add(this.fixture.threads().submit(() -> {
				callerThreads.add(Thread.currentThread());
				Map<CallOutcome, Integer> mine = new EnumMap<>(CallOutcome.class);
				for (int j = 0; j < CALLS_PER_CALLER; j++) {
					WebServiceOperations operations = ThreadLocalRandom.current().nextInt(4) == 0 ? quick : proxy;
					CallOutcome outcome = call(operations, surprises);
					mine.merge(outcome, 1, Integer::sum);
					Thread.interrupted();
				}
				return mine;
			}));
		}
		Future<?> chaos = this.fixture.threads().submit(() -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (running.get()) {
				for (CallInfo call : proxy.calls()) {
					switch (random.nextInt(8)) {
						case 0 -> proxy.abandon(call.id());
						case 1 -> proxy.abortCall(call.id(), "race");
						case 2 -> {
							proxy.abandon(call.id());
							proxy.abortCall(call.id(), "race");
						}
						case 3 -> {
							List<Thread> targets = List.copyOf(callerThreads);
							if (!targets.isEmpty()) {
								targets.get(random.nextInt(targets.size())).interrupt();
							}
						}
						default -> {
						}
					}
				}
				Thread.onSpinWait();
			}
		});
		for (Future<Map<CallOutcome, Integer>> caller : callers) {
			caller.get(120, TimeUnit.SECONDS).forEach((outcome, count) -> seen.merge(outcome, count, Integer::sum));
		}
		running.set(false);
		chaos.get(10, TimeUnit.SECONDS);

		assertThat(surprises).isEmpty();
		assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CALLERS * CALLS_PER_CALLER);
		await().atMost(Duration.ofSeconds(30)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.abandonedCalls()).isZero();
		assertThat(proxy.calls()).isEmpty();
		assertThat(this.meters.get("soap.client.calls.active").gauge().value()).isZero();
		assertThat(this.meters.get("soap.client.calls.abandoned.active").gauge().value()).isZero();
		for (CallOutcome outcome : CallOutcome.values()) {
			long counted = this.meters.find(MeterCallListener.CALLS)
				.tag("outcome", outcome.name())
				.timers()
				.stream()
				.mapToLong(Timer::count)
				.sum();
			assertThat(counted).as("%s: seen %s", outcome, seen).isEqualTo(seen.getOrDefault(outcome, 0).longValue());
		}
	}

	@Test
	void anInterruptRacingCompletionReturnsTheResponseOrAbortsNeverFails() throws Exception {
		this.fixture.server()
			.setBehaviour(
					Behaviour.respondWhenReleased(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse()));
		DefaultServiceProxy proxy = this.fixture.open();
		proxy.setCallListener(new MeterCallListener(this.meters));
		Map<CallOutcome, Integer> seen = new EnumMap<>(CallOutcome.class);
		Queue<String> surprises = new ConcurrentLinkedQueue<>();
		for (int round = 0; round < 80; round++) {
			long spread = ThreadLocalRandom.current().nextLong(400_000);
			CyclicBarrier race = new CyclicBarrier(2);
			AtomicReference<Thread> callerThread = new AtomicReference<>();
			Future<CallOutcome> caller = this.fixture.threads().submit(() -> {
				callerThread.set(Thread.currentThread());
				CallOutcome outcome = call(proxy, surprises);
				boolean interrupted = Thread.interrupted();
				if (outcome == CallOutcome.ABORTED && !interrupted) {
					surprises.add("an interrupted caller lost its interrupt flag");
				}
				return outcome;
			});
			int expectedRequests = round + 1;
			await().pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.fixture.server().requestCount() == expectedRequests);
			await().pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> proxy.calls().stream().anyMatch((call) -> call.phase() == CallPhase.WAITING_FOR_RESPONSE));
			Future<?> interrupter = this.fixture.threads().submit(() -> {
				race.await(10, TimeUnit.SECONDS);
				long until = System.nanoTime() + spread;
				while (System.nanoTime() < until) {
					Thread.onSpinWait();
				}
				callerThread.get().interrupt();
				return null;
			});
			race.await(10, TimeUnit.SECONDS);
			this.fixture.server().releaseAll();
			interrupter.get(10, TimeUnit.SECONDS);
			seen.merge(caller.get(10, TimeUnit.SECONDS), 1, Integer::sum);
		}
		assertThat(surprises).isEmpty();
		// FAILED only when the interrupt landed after the response was in, while SAAJ
		// parsed it
		assertThat(seen.keySet()).containsAnyOf(CallOutcome.COMPLETED, CallOutcome.ABORTED)
			.isSubsetOf(CallOutcome.COMPLETED, CallOutcome.ABORTED, CallOutcome.FAILED);
		await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingCalls() == 0);
		for (Map.Entry<CallOutcome, Integer> entry : seen.entrySet()) {
			assertThat(this.meters.find(MeterCallListener.CALLS).tag("outcome", entry.getKey().name()).timer().count())
				.isEqualTo(entry.getValue().longValue());
		}
	}

	private static CallOutcome call(WebServiceOperations operations, Queue<String> surprises) {
		try {
			String response = ProxyFixture.echo(operations);
			if (!response.contains("echoResponse")) {
				surprises.add("unexpected response " + response);
			}
			return CallOutcome.COMPLETED;
		}
		catch (ServiceCallException ex) {
			return ex.getOutcome();
		}
		catch (RuntimeException | Error ex) {
			// a transport failure, or an interrupt that landed after the response was in,
			// while SAAJ parsed it on the caller's thread (SAAJ fails on an interrupted
			// thread)
			if (ex instanceof WebServiceException || interruptedWithin(ex)) {
				return CallOutcome.FAILED;
			}
			surprises.add(ex.toString());
			return CallOutcome.FAILED;
		}
	}

	private static boolean interruptedWithin(Throwable thrown) {
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof InterruptedException) {
				return true;
			}
		}
		return false;
	}

}
