package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import io.github.cancellablesoap.testsupport.CallEnds;
import io.github.cancellablesoap.testsupport.Racers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.client.support.interceptor.ClientInterceptorAdapter;
import org.springframework.ws.context.MessageContext;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * Paths of the non-blocking form ({@link AsyncServiceOperations}) that could leave a call
 * pending or its slot taken: a task the completion executor accepts and drops (ended by a
 * proxy abort, or by a proxy close once its close-timeout passed, also while other tasks
 * run on many threads), a stopped timer, an {@code Error} from an interceptor's
 * {@code afterCompletion} before the request left; and a response in time that the
 * executor's queue must not fail, while its read stays bounded by what was left of the
 * call's budget when it arrived.
 */
class AsyncCallEndingTests {

	private static final Duration RACE = Duration.ofSeconds(120);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

	private final CallEnds ends = new CallEnds();

	@AfterEach
	void stop() {
		this.later.shutdownNow();
	}

	@Test
	void aDroppedTaskIsEndedByAProxyAbortAsDocumented() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open();
		proxy.setCallListener(this.ends);
		Dropping dropping = new Dropping();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, dropping);
		assertThat(dropping.handedOver.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(proxy.pendingCalls()).as("a dropped task keeps its call until the proxy ends it").isOne();
		proxy.abort("ends the dropped call");
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class, "ends the dropped call");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ends.ended() == 1);
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.ABORTED);
		// the task, run late after all, processes nothing a second time
		dropping.tasks.poll().run();
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.ABORTED);
		assertThat(proxy.calls()).isEmpty();
	}

	@Test
	void aDroppedTaskIsEndedByAProxyClose() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.closeTimeout(Duration.ofMillis(200)));
		proxy.setCallListener(this.ends);
		Dropping dropping = new Dropping();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, dropping);
		assertThat(dropping.handedOver.await(10, TimeUnit.SECONDS)).isTrue();
		proxy.close();
		assertThat(proxy.pendingCalls()).as("slots after close").isZero();
		assertThat(proxy.calls()).isEmpty();
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class, "close-timeout");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ends.ended() == 1);
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.ABORTED);
		assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
	}

	@Test
	void proxyAbortsRacingTheTasksEndEachCallExactlyOnce() throws Exception {
		raceTasksWith(this.fixture.open((settings) -> settings.maxPendingCalls(1000)),
				(proxy) -> proxy.abort("racing the tasks"));
	}

	@Test
	void proxyClosesRacingTheTasksEndEachCallExactlyOnce() throws Exception {
		raceTasksWith(
				this.fixture.open((settings) -> settings.maxPendingCalls(1000).closeTimeout(Duration.ofMillis(1))),
				ServiceProxy::close);
	}

	@Test
	void proxyAbortsRacingAnsweredCallsEndEachCallExactlyOnce() throws Exception {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxPendingCalls(1000));
		proxy.setCallListener(this.ends);
		ExecutorService completion = Executors.newFixedThreadPool(2);
		try {
			Map<String, AtomicInteger> extractions = new ConcurrentHashMap<>();
			Queue<PendingCall<String>> calls = new ConcurrentLinkedQueue<>();
			AtomicInteger rejected = new AtomicInteger();
			AtomicInteger sending = new AtomicInteger(4);
			Racers.race(this.fixture.threads(), 5, RACE, (racer) -> {
				if (racer < 4) {
					for (int i = 0; i < 100; i++) {
						AtomicInteger extracted = new AtomicInteger();
						try {
							PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
									(source) -> {
										extracted.incrementAndGet();
										return AsyncCancellationTests.text(source);
									}, completion);
							extractions.put(call.callId(), extracted);
							calls.add(call);
						}
						catch (CallRejectedException ex) {
							rejected.incrementAndGet();
						}
					}
					sending.decrementAndGet();
				}
				else {
					while (sending.get() > 0) {
						proxy.abort("racing the answers");
						proxy.reset();
						proxy.open();
					}
				}
			});
			assertThat(calls.size() + rejected.get()).isEqualTo(400);
			awaitEveryCallEndedOnce(proxy, calls, extractions, this.ends::started);
			for (PendingCall<String> call : calls) {
				Throwable failure = call.result().handle((result, ex) -> ex).join();
				if (failure == null) {
					assertThat(call.result().join()).contains("echoResponse");
				}
				else {
					assertThat(this.ends.outcomes(call.callId())).doesNotContain(CallOutcome.COMPLETED);
				}
			}
		}
		finally {
			completion.shutdownNow();
		}
	}

	/**
	 * Calls whose tasks wait in a queue: three racers run them while one ends the proxy;
	 * every call ends exactly once (one end event, one extraction at most, a result that
	 * is either the response or an abort) and every slot comes back.
	 */
	private void raceTasksWith(DefaultServiceProxy proxy, Consumer<ServiceProxy> ending) throws Exception {
		proxy.setCallListener(this.ends);
		Dropping queue = new Dropping();
		Map<String, AtomicInteger> extractions = new ConcurrentHashMap<>();
		List<PendingCall<String>> calls = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 200; i++) {
			AtomicInteger extracted = new AtomicInteger();
			SourceExtractor<String> extractor = (source) -> {
				extracted.incrementAndGet();
				return AsyncCancellationTests.text(source);
			};
			PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), extractor, queue);
			extractions.put(call.callId(), extracted);
			calls.add(call);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> queue.tasks.size() == 200);
		Racers.race(this.fixture.threads(), 4, RACE, (racer) -> {
			if (racer == 0) {
				ending.accept(proxy);
			}
			else {
				Runnable task = queue.tasks.poll();
				while (task != null) {
					task.run();
					task = queue.tasks.poll();
				}
			}
		});
		awaitEveryCallEndedOnce(proxy, calls, extractions, () -> 200);
		int aborted = 0;
		for (PendingCall<String> call : calls) {
			Throwable failure = call.result().handle((result, ex) -> ex).join();
			if (failure == null) {
				assertThat(call.result().join()).contains("echoResponse");
				assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.COMPLETED);
			}
			else {
				assertThat(failure).isInstanceOf(CallAbortedException.class);
				assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.ABORTED);
				assertThat(extractions.get(call.callId()).get()).isZero();
				aborted++;
			}
		}
		assertThat(this.ends.ended()).isEqualTo(200);
		assertThat(aborted).as("the ending took some calls").isPositive();
	}

	@Test
	void aStoppedTimerFailsTheCallAndFreesItsSlot() {
		DefaultServiceProxy proxy = this.fixture.open();
		proxy.setCallListener(this.ends);
		this.fixture.timer().shutdown();
		PendingCall<String> call = sendWithoutThrowing(proxy);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(call.result()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RejectedExecutionException.class);
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.FAILED);
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void aResponseInTimeIsNotFailedByTheExecutorsQueue() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMillis(500)));
		proxy.setCallListener(this.ends);
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, (task) -> this.later.schedule(task, 1, TimeUnit.SECONDS));
		assertThat(call.result()).succeedsWithin(Duration.ofSeconds(10)).asString().contains("echoResponse");
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.COMPLETED);
	}

	@Test
	void aResponseReadPastWhatWasLeftOfItsBudgetStillStops() throws Exception {
		GatedMessageFactory factory = new GatedMessageFactory();
		factory.delegate.afterPropertiesSet();
		DefaultServiceProxy proxy = this.fixture.create(ProxySettings.builder("gated", this.fixture.server().uri("/ws"))
			.callTimeout(Duration.ofSeconds(1))
			.build(), new WebServiceTemplate(factory));
		proxy.setCallListener(this.ends);
		proxy.open();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, this.later);
		assertThat(factory.reached.await(20, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> proxy.call(call.callId()).map((info) -> info.elapsed().toMillis() > 1100).orElse(true));
		factory.gate.countDown();
		assertThat(call.result()).failsWithin(Duration.ofSeconds(20))
			.withThrowableThat()
			.withStackTraceContaining("ran out of its call timeout while its response");
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.FAILED);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anAfterCompletionErrorOnTheSendPathStillFreesTheSlot() {
		WebServiceTemplate template = new WebServiceTemplate();
		template.setInterceptors(new ClientInterceptor[] { new ClientInterceptorAdapter() {
			@Override
			public boolean handleRequest(MessageContext context) {
				throw new IllegalStateException("refused");
			}

			@Override
			public void afterCompletion(MessageContext context, @Nullable Exception ex) {
				throw new AssertionError("afterCompletion broke");
			}
		} });
		DefaultServiceProxy proxy = this.fixture
			.create(ProxySettings.builder("test", this.fixture.server().uri("/ws")).build(), template);
		proxy.setCallListener(this.ends);
		proxy.open();
		PendingCall<String> call = sendWithoutThrowing(proxy);
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(call.result()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(AssertionError.class)
			.withMessage("afterCompletion broke")
			.satisfies((error) -> assertThat(error.getSuppressed()).singleElement()
				.isInstanceOf(IllegalStateException.class));
		assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.FAILED);
	}

	/**
	 * Send a call with a direct executor, asserting that {@code sendAsync} throws nothing
	 * (it throws only {@link CallRejectedException}, for a call it does not admit).
	 */
	private static PendingCall<String> sendWithoutThrowing(ServiceProxy proxy) {
		List<PendingCall<String>> sent = new CopyOnWriteArrayList<>();
		assertThatCode(() -> sent.add(proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, Runnable::run)))
			.as("sendAsync throws only CallRejectedException")
			.doesNotThrowAnyException();
		return sent.get(0);
	}

	/**
	 * An executor that accepts every task and runs none (a discard policy, a queue that
	 * {@code shutdownNow()} emptied): the tasks are kept for the test.
	 */
	private static final class Dropping implements Executor {

		final CountDownLatch handedOver = new CountDownLatch(1);

		final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
			this.handedOver.countDown();
		}

	}

	/**
	 * Wait until every call's result is done, the proxy holds none of them and the
	 * listener heard as many ends as expected; then check that each call ended exactly
	 * once and was extracted at most once.
	 */
	private void awaitEveryCallEndedOnce(DefaultServiceProxy proxy, Collection<PendingCall<String>> calls,
			Map<String, AtomicInteger> extractions, IntSupplier expectedEnds) {
		List<CompletableFuture<String>> results = calls.stream().map(PendingCall::result).toList();
		await().atMost(Duration.ofSeconds(30)).until(() -> results.stream().allMatch(CompletableFuture::isDone));
		await().atMost(Duration.ofSeconds(30)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ends.ended() == expectedEnds.getAsInt());
		for (PendingCall<String> call : calls) {
			assertThat(this.ends.outcomes(call.callId())).as("ends of " + call.callId()).hasSize(1);
			assertThat(extractions.get(call.callId()).get()).as("extractions of " + call.callId())
				.isLessThanOrEqualTo(1);
		}
	}

}
