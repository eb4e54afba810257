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
 * A listener that blocks holds one application thread and its own queue, nothing else.
 * The queue holds at most {@value #MAX_QUEUED} events; beyond that new events are
 * dropped, with a warning for the first drop and every thousandth after it. An event
 * delivered from the queue that throws is logged and skipped; one run at once throws to
 * its raiser, as without isolation.
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
		if (!ProductThreads.isCurrent() && this.queued.get() == 0) {
			event.run();
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
		if (this.queued.getAndIncrement() == 0) {
			ProductThreads.application().execute(this::drain);
		}
	}

	/**
	 * How many events were dropped because the queue was full.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.get();
	}

	private void drain() {
		do {
			Runnable next = this.queue.poll();
			if (next != null) {
				next.run();
			}
		}
		while (this.queued.decrementAndGet() > 0);
	}

	private void runGuarded(String hook, Runnable event) {
		try {
			event.run();
		}
		catch (RuntimeException ex) {
			logger.warn(this.listener + " failed in " + hook + "; it is skipped", ex);
		}
	}

}
