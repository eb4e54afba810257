package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs application callbacks (cancel and completion callbacks of operations) on threads
 * of their own, so that no callback ever runs on a thread the product shares: the
 * cancellation timer, a caller-gone detector's poller or a thread that aborts a host.
 * <p>
 * A pool of at most {@code maxThreads} named daemon threads
 * ({@code soap-callback-<executor>-<thread>}) that grows on demand, in front of an
 * unbounded FIFO queue; idle threads end after {@link #KEEP_ALIVE}. A callback that
 * blocks for ever holds one thread and nothing else: the other threads go on with the
 * queue. Only when every thread is blocked do new callbacks wait in the queue (a warning
 * says so). The queue needs no bound of its own: each queued task belongs to an admitted
 * operation, and admission is bounded. A callback that throws is logged and forgotten.
 * <p>
 * Thread-safe: every method may be called from any thread. {@link #close()} stops the
 * pool; a task handed over afterwards still runs, on a short-lived thread of its own.
 *
 * @author Cancellable SOAP
 */
public final class CallbackExecutor implements Executor, AutoCloseable {

	/** The default maximum number of callback threads. */
	public static final int DEFAULT_MAX_THREADS = 32;

	/** How long an idle callback thread lives. */
	public static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

	/**
	 * How long {@link #close()} lets running callbacks finish before interrupting them.
	 */
	public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(CallbackExecutor.class);

	private static final AtomicInteger POOLS = new AtomicInteger();

	private static final AtomicInteger LATE = new AtomicInteger();

	private static final class Common {

		// idle threads end, so the pool that serves hosts built without one needs no
		// close
		static final CallbackExecutor INSTANCE = new CallbackExecutor(DEFAULT_MAX_THREADS);

	}

	private final ThreadPoolExecutor pool;

	private final int maxThreads;

	private final String threadNamePrefix;

	private volatile boolean saturationReported;

	/**
	 * Create an executor.
	 * @param maxThreads the most threads it runs at once, at least 1
	 */
	public CallbackExecutor(int maxThreads) {
		if (maxThreads < 1) {
			throw new IllegalArgumentException("A callback executor needs at least 1 thread, not " + maxThreads);
		}
		this.maxThreads = maxThreads;
		int pool = POOLS.incrementAndGet();
		this.threadNamePrefix = "soap-callback-" + pool + "-";
		ThreadFactory threads = ProductThreads.applicationFactory(this.threadNamePrefix, new AtomicInteger());
		// core = max with core time-out: grows up to max while busy, shrinks when idle,
		// and queues (rather than rejects) when every thread is taken
		this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS,
				new LinkedBlockingQueue<>(), threads);
		this.pool.allowCoreThreadTimeOut(true);
	}

	/**
	 * The executor of hosts and operations built without one of their own; its threads
	 * end when idle.
	 * @return the shared default executor
	 */
	public static CallbackExecutor common() {
		return Common.INSTANCE;
	}

	/**
	 * Run a callback on a callback thread.
	 * @param task the callback; what it throws is logged
	 */
	@Override
	public void execute(Runnable task) {
		Runnable guarded = () -> runGuarded(task);
		try {
			if (!this.saturationReported && this.pool.getActiveCount() >= this.maxThreads) {
				this.saturationReported = true;
				logger.warn("All " + this.maxThreads + " callback threads are busy; callbacks wait in a queue ("
						+ "blocking cancel or completion callbacks?)");
			}
			this.pool.execute(guarded);
		}
		catch (RejectedExecutionException ex) {
			ProductThreads.applicationFactory("soap-callback-late-", LATE).newThread(guarded).start();
		}
	}

	private static void runGuarded(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.warn("Callback failed", ex);
		}
	}

	/**
	 * The number of threads running a callback now, for tests and diagnostics.
	 * @return the count
	 */
	public int active() {
		return this.pool.getActiveCount();
	}

	/**
	 * The number of callbacks waiting for a thread, for tests and diagnostics.
	 * @return the queue length
	 */
	public int queued() {
		return this.pool.getQueue().size();
	}

	/**
	 * What the names of this executor's threads start with: {@code soap-callback-<n>-},
	 * where {@code n} numbers the executors of the JVM.
	 * @return the prefix
	 */
	public String threadNamePrefix() {
		return this.threadNamePrefix;
	}

	/**
	 * The most threads this executor runs at once.
	 * @return the maximum
	 */
	public int maxThreads() {
		return this.maxThreads;
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.pool.isShutdown();
	}

	/**
	 * Stop the pool: queued callbacks still run; after {@link #CLOSE_WAIT} the callback
	 * threads are interrupted and the call returns. Callbacks handed over later run on
	 * threads of their own.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		boolean interrupted = false;
		try {
			if (!this.pool.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
				logger.warn("Callbacks still running after " + CLOSE_WAIT + "; interrupting them");
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			interrupted = true;
			this.pool.shutdownNow();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
