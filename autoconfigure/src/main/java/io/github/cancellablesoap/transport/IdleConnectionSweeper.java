package io.github.cancellablesoap.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.core5.util.TimeValue;

/**
 * Closes the idle and expired connections of proxies' pools in the background: one daemon
 * thread for the whole application, however many proxies, created with the first pool
 * that needs it. Nothing runs on a call's path.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
final class IdleConnectionSweeper {

	private static final Log logger = LogFactory.getLog(IdleConnectionSweeper.class);

	/** The shortest period between two sweeps of one pool. */
	private static final long MIN_PERIOD_MILLIS = 100;

	/** The longest period between two sweeps of one pool. */
	private static final long MAX_PERIOD_MILLIS = 5_000;

	private IdleConnectionSweeper() {
	}

	/**
	 * Sweep a pool until the returned handle is cancelled: connections idle for longer
	 * than the idle timeout, and those past their time to live, are closed.
	 * @param pool the pool
	 * @param idleTimeout the idle timeout, positive
	 * @return the handle that stops the sweeping
	 */
	static ScheduledFuture<?> sweep(PoolingAsyncClientConnectionManager pool, Duration idleTimeout) {
		TimeValue idle = TimeValue.ofMilliseconds(idleTimeout.toMillis());
		long period = Math.max(MIN_PERIOD_MILLIS, Math.min(MAX_PERIOD_MILLIS, idleTimeout.toMillis() / 4));
		return Holder.EXECUTOR.scheduleWithFixedDelay(() -> {
			try {
				pool.closeExpired();
				pool.closeIdle(idle);
			}
			catch (RuntimeException ex) {
				logger.debug("Sweeping idle connections failed", ex);
			}
		}, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * The sweeping thread, created on first use.
	 */
	private static final class Holder {

		static final ScheduledExecutorService EXECUTOR = create();

		private static ScheduledExecutorService create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "cancellable-soap-pool-sweeper");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

}
