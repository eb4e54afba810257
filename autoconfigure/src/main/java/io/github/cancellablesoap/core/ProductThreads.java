package io.github.cancellablesoap.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the product shares between calls and operations (timers, caller-gone
 * detectors, the close pool), told apart from every other thread, and the pool where
 * application code handed off from them runs. The callback pool
 * ({@link CallbackExecutor}) is not among them: its threads exist to run application
 * callbacks, so application code may run there at once.
 * <p>
 * Application code (a listener, a continuation of a submitted call's future) must never
 * run on a product thread: one that blocks there would hold back every timeout, detection
 * or callback behind it. Code that may call into the application asks
 * {@link #isCurrent()} and, on a product thread, hands the work to
 * {@link #application()}.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ProductThreads {

	private static final AtomicInteger APPLICATION_THREADS = new AtomicInteger();

	private ProductThreads() {
	}

	/**
	 * A factory of named daemon product threads.
	 * @param prefix the threads' name before their number, for example
	 * {@code soap-timer-quotes-}
	 * @param counter where the numbers come from (shared by factories that share a
	 * prefix)
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix, AtomicInteger counter) {
		return (task) -> {
			Thread thread = new ProductThread(task, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A factory of named daemon threads that are not product threads, for pools that run
	 * application code.
	 * @param prefix the threads' name before their number
	 * @param counter where the numbers come from
	 * @return the factory
	 */
	public static ThreadFactory applicationFactory(String prefix, AtomicInteger counter) {
		return (task) -> {
			Thread thread = new Thread(task, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Whether the current thread is a product thread.
	 * @return {@code true} on a thread made by a {@link #factory}
	 */
	public static boolean isCurrent() {
		return Thread.currentThread() instanceof ProductThread;
	}

	/**
	 * The pool where application code handed off from product threads runs: daemon
	 * threads named {@code soap-application-N}, made as needed and ended after a minute
	 * idle, so that a blocking piece of application code holds only its own thread.
	 * @return the pool
	 */
	public static ExecutorService application() {
		return Application.POOL;
	}

	/**
	 * A thread of the product.
	 */
	private static final class ProductThread extends Thread {

		ProductThread(Runnable task, String name) {
			super(task, name);
		}

	}

	/**
	 * The application pool, created on first use.
	 */
	private static final class Application {

		static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
				new SynchronousQueue<>(), applicationFactory("soap-application-", APPLICATION_THREADS));

	}

}
