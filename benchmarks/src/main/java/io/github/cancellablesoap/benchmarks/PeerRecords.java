package io.github.cancellablesoap.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * What the benchmark's server operations saw, keyed by the request id the benchmark put
 * in each request: when each operation started running and when (and why) its cancel
 * callback ran.
 * <p>
 * Thread-safe: server threads record, the benchmark's main thread waits and reads.
 */
final class PeerRecords {

	private final ConcurrentMap<String, Record> records = new ConcurrentHashMap<>();

	/**
	 * The record of one operation, created on first use by either side.
	 * @param key the peer's letter and the request id, for example {@code c:17}
	 * @return the record
	 */
	Record of(String key) {
		return this.records.computeIfAbsent(key, (k) -> new Record());
	}

	void remove(String key) {
		this.records.remove(key);
	}

	/**
	 * One server operation: started, then cancelled once.
	 * <p>
	 * Thread-safe.
	 */
	static final class Record {

		private final CountDownLatch running = new CountDownLatch(1);

		private final CountDownLatch cancelled = new CountDownLatch(1);

		private final AtomicInteger cancels = new AtomicInteger();

		private volatile long cancelledAt;

		private volatile @Nullable String reason;

		/**
		 * The operation is running (its cancel callback is registered).
		 */
		void running() {
			this.running.countDown();
		}

		/**
		 * The operation's cancel callback ran.
		 * @param why the reason the server's stack gave
		 */
		void cancelled(String why) {
			long now = System.nanoTime();
			if (this.cancels.incrementAndGet() == 1) {
				this.cancelledAt = now;
				this.reason = why;
			}
			this.cancelled.countDown();
		}

		boolean awaitRunning(long timeout, TimeUnit unit) throws InterruptedException {
			return this.running.await(timeout, unit);
		}

		boolean awaitCancelled(long timeout, TimeUnit unit) throws InterruptedException {
			return this.cancelled.await(timeout, unit);
		}

		long cancelledAt() {
			return this.cancelledAt;
		}

		@Nullable String reason() {
			return this.reason;
		}

		int cancels() {
			return this.cancels.get();
		}

	}

}
