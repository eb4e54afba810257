package io.github.cancellablesoap.server.detect;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.cancellablesoap.core.ProductThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping that the polling detectors share: the watched targets with their
 * callbacks, and the one daemon thread that polls them. A target is judged and its
 * callback taken under the watch's own lock, so a watch that was cancelled is never
 * judged again (the detector no longer touches its request) and its callback is taken at
 * most once; the callback runs outside the lock, and one that throws is logged.
 * <p>
 * Thread-safe. {@link #close()} stops the polling thread.
 *
 * @param <T> what the detector watches for each request
 */
final class PolledWatches<T> implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PolledWatches.class);

	private static final AtomicInteger THREADS = new AtomicInteger();

	private final Set<Watched<T>> watches = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService poller;

	/**
	 * Start polling. The poll is handed these watches (so it needs nothing that its
	 * detector has not finished constructing), and one that throws is logged and does not
	 * stop the polls after it.
	 * @param threadName the polling thread's name, before its number
	 * @param interval the interval between polls
	 * @param poll what one poll does; it runs on the polling thread
	 */
	PolledWatches(String threadName, Duration interval, Consumer<PolledWatches<T>> poll) {
		this.poller = Executors.newSingleThreadScheduledExecutor(ProductThreads.factory(threadName + "-", THREADS));
		this.poller.scheduleWithFixedDelay(() -> {
			try {
				poll.accept(this);
			}
			catch (RuntimeException ex) {
				// a poll that throws would cancel every later one
				logger.warn("Polling for gone callers failed", ex);
			}
		}, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Watch a target until the returned watch is cancelled or the callback was taken.
	 * @param target what to judge at each poll
	 * @param onGone what to run once when the target is judged gone
	 * @return the watch
	 */
	CallerGoneDetector.Watch add(T target, Runnable onGone) {
		Watched<T> watched = new Watched<>(target, onGone);
		this.watches.add(watched);
		return () -> {
			watched.cancel();
			this.watches.remove(watched);
		};
	}

	/**
	 * The watches now, for a poll that must judge only what was watched before it read
	 * its source.
	 * @return an immutable snapshot
	 */
	List<Watched<T>> snapshot() {
		return List.copyOf(this.watches);
	}

	/**
	 * Judge watches and run the callback of each one that is gone and not cancelled.
	 * @param candidates the watches to judge, from {@link #snapshot()}
	 * @param gone whether a target is gone; called under the watch's lock
	 */
	void fireGone(List<Watched<T>> candidates, Predicate<T> gone) {
		for (Watched<T> watched : candidates) {
			Runnable callback = watched.takeIfGone(gone);
			if (callback != null) {
				this.watches.remove(watched);
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Caller-gone callback failed", ex);
				}
			}
		}
	}

	/**
	 * Whether nothing is watched.
	 * @return {@code true} when nothing is
	 */
	boolean isEmpty() {
		return this.watches.isEmpty();
	}

	/**
	 * The number of targets being watched.
	 * @return the count
	 */
	int size() {
		return this.watches.size();
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
		this.watches.clear();
	}

	/**
	 * One watched target and its callback, until cancelled or taken.
	 *
	 * @param <T> the target's type
	 */
	static final class Watched<T> {

		private final T target;

		private @Nullable Runnable onGone;

		Watched(T target, Runnable onGone) {
			this.target = target;
			this.onGone = onGone;
		}

		T target() {
			return this.target;
		}

		synchronized @Nullable Runnable takeIfGone(Predicate<T> gone) {
			if (this.onGone == null || !gone.test(this.target)) {
				return null;
			}
			Runnable callback = this.onGone;
			this.onGone = null;
			return callback;
		}

		synchronized void cancel() {
			this.onGone = null;
		}

	}

}
