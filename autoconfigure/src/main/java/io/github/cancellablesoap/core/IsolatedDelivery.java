package io.github.cancellablesoap.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers the events of one application listener in order, keeping it off the product's
 * threads: an event raised on a product thread ({@link ProductThreads#isCurrent()}) is
 * queued and delivered on an application thread; one raised on any other thread (a
 * caller's, a container's, an operator's) runs at once, unless earlier events still wait
 * in the queue, which it then joins so the order holds.
 * <p>
 * Events reach the listener one at a time, in the order they were raised, whether they
 * run at once or from the queue. A listener that blocks holds one application thread and
 * its own queue, nothing else. The queue holds at most {@value #MAX_QUEUED} events;
 * beyond that new events are dropped, with a warning for the first drop and every
 * thousandth after it. An event delivered from the queue that throws (an {@code Error}
 * included, but a {@code VirtualMachineError}) is logged and skipped, and later events
 * still arrive; one run at once throws to its raiser, as without isolation.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class IsolatedDelivery {

	/** The most events that wait for a listener. */
	public static final int MAX_QUEUED = 10_000;

	private static final Log logger = LogFactory.getLog(IsolatedDelivery.class);

	private final String listener;

	private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	/** Whether delivery stopped with events left (no thread to start, or a VM error). */
	private volatile boolean stalled;

	/**
	 * Create the delivery of one listener.
	 * @param listener what the listener is, for the log
	 */
	public IsolatedDelivery(String listener) {
		this.listener = listener;
	}

	/**
	 * Deliver one event.
	 * @param hook the listener method, for the log
	 * @param event the call of the listener method
	 */
	public void deliver(String hook, Runnable event) {
		if (!ProductThreads.isCurrent() && this.queued.compareAndSet(0, 1)) {
			// counted as in delivery, so that an event raised meanwhile on a product
			// thread
			// waits for this one rather than overtaking it
			try {
				event.run();
			}
			finally {
				if (this.queued.decrementAndGet() > 0) {
					schedule();
				}
			}
			return;
		}
		if (this.queued.get() >= MAX_QUEUED) {
			long count = this.dropped.incrementAndGet();
			if (count % 1000 == 1) {
				logger.warn(this.listener + " is " + MAX_QUEUED + " events behind (blocked?); " + count
						+ " events dropped so far, " + hook + " among them");
			}
			return;
		}
		this.queue.add(() -> runGuarded(hook, event));
		if (this.queued.getAndIncrement() == 0 || this.stalled) {
			schedule();
		}
	}

	/**
	 * How many events were dropped because the queue was full.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * Start draining on an application thread; should that fail, the events stay queued
	 * and the next event raised starts the drain again.
	 */
	private void schedule() {
		try {
			this.stalled = false;
			ProductThreads.application().execute(this::drain);
		}
		catch (RuntimeException | Error ex) {
			// the count stays: events wait; the next one raised retries
			this.stalled = true;
			logger.warn(this.listener + ": could not start delivering its events", ex);
		}
	}

	private void drain() {
		boolean drained = false;
		try {
			do {
				Runnable next = this.queue.poll();
				if (next != null) {
					next.run();
				}
			}
			while (this.queued.decrementAndGet() > 0);
			drained = true;
		}
		finally {
			if (!drained) {
				// only a VirtualMachineError gets here: the next event raised restarts it
				this.stalled = true;
			}
		}
	}

	private void runGuarded(String hook, Runnable event) {
		try {
			event.run();
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// an Error of the listener's own (an assertion, a class it cannot load) is
			// its
			// problem too: it must not end the delivery of its later events
			logger.warn(this.listener + " failed in " + hook + "; it is skipped", ex);
		}
	}

}
