package io.github.cancellablesoap.server;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What the test endpoints saw: started operations, cancel reasons, when and on which
 * thread they arrived, interrupted threads.
 */
final class Probe {

	final BlockingQueue<String> started = new LinkedBlockingQueue<>();

	final Map<String, CancelReason> cancels = new ConcurrentHashMap<>();

	final Map<String, Long> cancelNanos = new ConcurrentHashMap<>();

	final Map<String, String> cancelThreads = new ConcurrentHashMap<>();

	final Set<String> interrupted = ConcurrentHashMap.newKeySet();

	final Set<String> completed = ConcurrentHashMap.newKeySet();

	volatile CountDownLatch gate = new CountDownLatch(1);

	void reset() {
		this.started.clear();
		this.cancels.clear();
		this.cancelNanos.clear();
		this.cancelThreads.clear();
		this.interrupted.clear();
		this.completed.clear();
		this.gate.countDown();
		this.gate = new CountDownLatch(1);
	}

	void cancelled(String operationId, CancelReason reason) {
		long now = System.nanoTime();
		if (this.cancels.putIfAbsent(operationId, reason) != null) {
			throw new AssertionError("Second cancel callback for " + operationId);
		}
		this.cancelThreads.put(operationId, Thread.currentThread().getName());
		// Published last: tests wait for the time, then read the reason.
		this.cancelNanos.put(operationId, now);
	}

}
