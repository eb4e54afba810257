package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.testsupport.Racers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application listener's events, raised on product threads, reach it on application
 * threads, in order, exactly once; one that blocks holds back only itself, and its queue
 * is bounded.
 */
class IsolatedDeliveryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutorService product = Executors.newFixedThreadPool(8,
			ProductThreads.factory("test-product-", new AtomicInteger()));

	private final CountDownLatch unblock = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.unblock.countDown();
		this.product.shutdownNow();
	}

	@Test
	void anEventRaisedOnAnotherThreadRunsAtOnceOnThatThread() {
		IsolatedDelivery delivery = new IsolatedDelivery("test listener");
		List<Thread> ran = new CopyOnWriteArrayList<>();
		delivery.deliver("hook", () -> ran.add(Thread.currentThread()));
		assertThat(ran).containsExactly(Thread.currentThread());
		assertThat(ProductThreads.isCurrent()).isFalse();
	}

	@Test
	void eventsRaisedOnAProductThreadRunOnApplicationThreadsInOrder() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("test listener");
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		CountDownLatch raised = new CountDownLatch(1);
		this.product.execute(() -> {
			assertThat(ProductThreads.isCurrent()).isTrue();
			for (int i = 0; i < 1000; i++) {
				int number = i;
				delivery.deliver("hook", () -> {
					order.add(number);
					threads.add(Thread.currentThread().getName());
				});
			}
			raised.countDown();
		});
		assertThat(raised.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		await().atMost(WAIT).until(() -> order.size() == 1000);
		assertThat(order).isSorted().doesNotHaveDuplicates();
		assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("soap-application-"));
	}

	@Test
	void aBlockedListenerHoldsBackNeitherTheProductThreadNorAnotherListener() throws Exception {
		IsolatedDelivery blocked = new IsolatedDelivery("blocking listener");
		IsolatedDelivery other = new IsolatedDelivery("other listener");
		CountDownLatch blocking = new CountDownLatch(1);
		CountDownLatch otherHeard = new CountDownLatch(3);
		CountDownLatch productThreadDone = new CountDownLatch(1);
		this.product.execute(() -> {
			blocked.deliver("hook", () -> {
				blocking.countDown();
				awaitUnblock();
			});
			blocked.deliver("hook", () -> {
			});
			for (int i = 0; i < 3; i++) {
				other.deliver("hook", otherHeard::countDown);
			}
			productThreadDone.countDown();
		});
		assertThat(productThreadDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the product thread went on")
			.isTrue();
		assertThat(blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(otherHeard.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the other listener heard its events")
			.isTrue();
	}

	@Test
	void aBlockedListenerKeepsAtMostItsLimitOfEventsAndDropsTheRest() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("blocking listener");
		AtomicInteger heard = new AtomicInteger();
		CountDownLatch blocking = new CountDownLatch(1);
		CountDownLatch raised = new CountDownLatch(1);
		this.product.execute(() -> {
			delivery.deliver("hook", () -> {
				blocking.countDown();
				awaitUnblock();
				heard.incrementAndGet();
			});
			awaitQuietly(blocking);
			for (int i = 0; i < IsolatedDelivery.MAX_QUEUED + 4; i++) {
				delivery.deliver("hook", heard::incrementAndGet);
			}
			raised.countDown();
		});
		assertThat(raised.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(delivery.dropped()).isEqualTo(5);
		this.unblock.countDown();
		await().atMost(WAIT).until(() -> heard.get() == IsolatedDelivery.MAX_QUEUED);
		// a second later nothing more arrived: the dropped events are gone for good
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> heard.get() == IsolatedDelivery.MAX_QUEUED);
	}

	@Test
	void aThrowingEventIsSkippedAndTheNextOneStillArrives() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("throwing listener");
		CountDownLatch after = new CountDownLatch(1);
		this.product.execute(() -> {
			delivery.deliver("hook", () -> {
				throw new IllegalStateException("listener bug");
			});
			delivery.deliver("hook", after::countDown);
		});
		assertThat(after.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void anErrorInAQueuedEventIsSkippedAndLaterEventsStillArrive() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("failing listener");
		CountDownLatch after = new CountDownLatch(2);
		this.product.execute(() -> {
			delivery.deliver("hook", () -> {
				throw new AssertionError("listener bug");
			});
			delivery.deliver("hook", after::countDown);
		});
		await().atMost(WAIT).until(() -> after.getCount() == 1);
		// an event raised later, on a caller's thread, is not stuck behind the failed one
		delivery.deliver("hook", after::countDown);
		assertThat(after.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void anEventRaisedOnAProductThreadWaitsForOneRunningAtOnceOnACallersThread() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("test listener");
		List<String> order = new CopyOnWriteArrayList<>();
		CountDownLatch inlineRunning = new CountDownLatch(1);
		CountDownLatch inlineMayEnd = new CountDownLatch(1);
		Thread caller = new Thread(() -> delivery.deliver("hook", () -> {
			order.add("caller's event starts on " + Thread.currentThread().getName());
			inlineRunning.countDown();
			awaitQuietly(inlineMayEnd);
			order.add("caller's event ends");
		}), "test-caller");
		caller.start();
		assertThat(inlineRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		CountDownLatch raised = new CountDownLatch(1);
		this.product.execute(() -> {
			delivery.deliver("hook", () -> order.add("product thread's event"));
			raised.countDown();
		});
		assertThat(raised.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		// it cannot start before the caller's event ends: it runs only once that one lets
		// it go
		assertThat(order).containsExactly("caller's event starts on test-caller");
		inlineMayEnd.countDown();
		await().atMost(WAIT).until(() -> order.size() == 3);
		assertThat(order).containsExactly("caller's event starts on test-caller", "caller's event ends",
				"product thread's event");
		caller.join(WAIT.toMillis());
	}

	@Test
	void manyProductThreadsRacingDeliverEveryEventOnceInEachThreadsOrder() throws Exception {
		IsolatedDelivery delivery = new IsolatedDelivery("test listener");
		int racers = 8;
		int events = 1000; // 8,000 in all: within the queue limit even if none is
							// delivered yet
		Map<Integer, List<Integer>> heard = new ConcurrentHashMap<>();
		AtomicInteger count = new AtomicInteger();
		Racers.race(this.product, racers, WAIT, (racer) -> {
			for (int i = 0; i < events; i++) {
				int number = i;
				delivery.deliver("hook", () -> {
					heard.computeIfAbsent(racer, (key) -> new CopyOnWriteArrayList<>()).add(number);
					count.incrementAndGet();
				});
			}
		});
		await().atMost(WAIT).until(() -> count.get() == racers * events);
		assertThat(heard).hasSize(racers);
		heard.values().forEach((numbers) -> assertThat(numbers).hasSize(events).isSorted().doesNotHaveDuplicates());
		assertThat(delivery.dropped()).isZero();
	}

	private void awaitUnblock() {
		awaitQuietly(this.unblock);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
