package io.github.cancellablesoap.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs several bounded closes at once and waits for all of them, so that closing many
 * proxies or hosts takes as long as the slowest one rather than their sum.
 * <p>
 * Each run has an executor of its own: at most {@link #MAX_THREADS} named daemon threads
 * ({@code <prefix>-<n>}), shut down once the last close returned, so that nothing
 * outlives the run and one run never waits behind another's closes. More closes than
 * threads queue, in order. A close that throws is logged and does not stop the others.
 * <p>
 * Thread-safe: stateless; any thread may start runs, also several at once.
 *
 * @author Cancellable SOAP
 */
public final class ParallelClose {

	/**
	 * The most threads one run closes on: closes mostly wait (for calls or operations to
	 * drain), so this is generous, and it only keeps an application with hundreds of
	 * proxies from starting hundreds of threads at once; past it, closes queue, and the
	 * run takes longer than its slowest close.
	 */
	public static final int MAX_THREADS = 64;

	private static final Log logger = LogFactory.getLog(ParallelClose.class);

	private ParallelClose() {
	}

	/**
	 * Run the closes and wait for every one to return. An interrupt of the waiting thread
	 * is kept and the wait goes on: the closes are bounded, and what they close must not
	 * be left half closed.
	 * @param threadPrefix the name prefix of the threads, such as
	 * {@code soap-proxy-close}
	 * @param closes the closes, by what each closes (for the log)
	 */
	public static void run(String threadPrefix, Map<String, Runnable> closes) {
		CompletableFuture<Void> all = start(threadPrefix, closes);
		boolean interrupted = false;
		while (true) {
			try {
				all.get();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
			catch (ExecutionException ex) {
				// each close's failure is logged where it happens
				break;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start the closes and return at once.
	 * @param threadPrefix the name prefix of the threads, such as {@code soap-host-close}
	 * @param closes the closes, by what each closes (for the log)
	 * @return a future completed (never exceptionally) once every close returned; it runs
	 * its dependent actions on the thread of the close that finished last, or on the
	 * caller's thread when there is nothing to close
	 */
	public static CompletableFuture<Void> start(String threadPrefix, Map<String, Runnable> closes) {
		if (closes.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		ExecutorService executor = executor(threadPrefix, Math.min(closes.size(), MAX_THREADS));
		List<CompletableFuture<Void>> runs = new ArrayList<>(closes.size());
		closes.forEach((what, close) -> runs.add(CompletableFuture.runAsync(() -> closeLogged(what, close), executor)));
		return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
			.whenComplete((result, failure) -> executor.shutdown());
	}

	private static void closeLogged(String what, Runnable close) {
		try {
			close.run();
		}
		catch (RuntimeException ex) {
			logger.warn(what + " did not close cleanly", ex);
		}
	}

	private static ExecutorService executor(String threadPrefix, int threads) {
		ThreadFactory factory = ProductThreads.factory(threadPrefix + "-", new AtomicInteger());
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
	}

}
