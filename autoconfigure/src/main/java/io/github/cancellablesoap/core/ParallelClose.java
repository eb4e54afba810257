package io.github.cancellablesoap.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs several bounded closes at once, each on a daemon thread of its own, and waits for
 * all of them, so that closing many proxies or hosts takes as long as the slowest one
 * rather than their sum.
 * <p>
 * Thread-safe: stateless. A close that throws is logged and does not stop the others; an
 * interrupt of the waiting thread is kept and the wait goes on.
 *
 * @author Cancellable SOAP
 */
public final class ParallelClose {

	private static final Logger logger = Logger.getLogger(ParallelClose.class.getName());

	private ParallelClose() {
	}

	/**
	 * Run the closes and wait for every one to return.
	 * @param closes the closes, by the thread name each runs under
	 */
	public static void run(Map<String, Runnable> closes) {
		List<Thread> threads = new ArrayList<>(closes.size());
		closes.forEach((name, close) -> {
			Thread thread = new Thread(() -> {
				try {
					close.run();
				}
				catch (RuntimeException ex) {
					logger.log(Level.WARNING, name + " did not close cleanly", ex);
				}
			}, name);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		});
		boolean interrupted = false;
		for (Thread thread : threads) {
			while (true) {
				try {
					thread.join();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
