package io.github.cancellablesoap.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Misbehaving application code for tests: the first thread that enters blocks until the
 * test releases it (at most a minute), and its name is noted; later threads pass.
 * <p>
 * Thread-safe.
 */
public final class BlockingOnce {

	private final CountDownLatch entered = new CountDownLatch(1);

	private final CountDownLatch released = new CountDownLatch(1);

	private final AtomicReference<String> thread = new AtomicReference<>();

	/**
	 * Block here if this is the first thread to enter.
	 */
	public void enter() {
		if (!this.thread.compareAndSet(null, Thread.currentThread().getName())) {
			return;
		}
		this.entered.countDown();
		try {
			this.released.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait until a thread blocks here.
	 * @param timeout how long to wait
	 * @return {@code true} when one did
	 * @throws InterruptedException when the test is interrupted
	 */
	public boolean awaitEntered(Duration timeout) throws InterruptedException {
		return this.entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The name of the thread that blocked here.
	 * @return the name, or {@code null} while none did
	 */
	public String thread() {
		return this.thread.get();
	}

	/**
	 * Let the blocked thread go.
	 */
	public void release() {
		this.released.countDown();
	}

}
