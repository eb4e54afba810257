package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The channel that carries a call, and who holds the call's registry entry: the caller,
 * and the exchange while its I/O runs. The entry is freed when the last holder lets go,
 * so a call whose caller was released keeps its slot until its I/O really ends.
 * <p>
 * Also bounds the I/O of an abandoned call: once abandoned, the channel is aborted when
 * the abandoned-I/O limit runs out, unless the exchange ended first.
 * <p>
 * Thread-safe: {@link #bind} and {@link #unbind} run on the caller's thread; the others
 * may run on any thread. Each side of a race writes its own field, then reads the
 * other's, so that a limit scheduled as the exchange ends is always cancelled.
 */
final class CallExchange {

	private static final Log logger = LogFactory.getLog(CallExchange.class);

	/** Holders of the registry entry: the caller, and the exchange while its I/O runs. */
	private final AtomicInteger holders = new AtomicInteger(1);

	private volatile @Nullable Channel channel;

	private volatile @Nullable ScheduledFuture<?> ioLimit;

	private volatile boolean ioEnded;

	/**
	 * Bind the channel that is about to carry the call; the exchange now holds the entry.
	 * @param channel the channel
	 */
	void bind(Channel channel) {
		this.holders.incrementAndGet();
		this.channel = channel;
	}

	/**
	 * Undo {@link #bind} for an exchange that must not start.
	 */
	void unbind() {
		this.channel = null;
		ended();
		this.holders.decrementAndGet();
	}

	/**
	 * Record that the exchange's I/O ended, and stop its abandoned-I/O limit.
	 */
	void ended() {
		this.ioEnded = true;
		ScheduledFuture<?> limit = this.ioLimit;
		if (limit != null) {
			limit.cancel(false);
		}
	}

	/**
	 * Let go of the registry entry.
	 * @return whether that was the last holder, and the call must leave the registry
	 */
	boolean release() {
		return this.holders.decrementAndGet() == 0;
	}

	/**
	 * Abort the channel's running I/O.
	 * @return whether running I/O was cancelled
	 */
	boolean cancel() {
		Channel current = this.channel;
		return current != null && current.abort();
	}

	/**
	 * Abort the channel when the proxy's abandoned-I/O limit runs out, unless its I/O
	 * ends first; a call with no channel has no I/O to bound.
	 * @param environment the proxy's timer, settings and listener
	 * @param callId the call id, for the log
	 */
	void limitAbandoned(CallEnvironment environment, String callId) {
		if (this.channel == null) {
			return;
		}
		Duration limit = environment.settings().abandonedIoTimeout();
		ScheduledFuture<?> scheduled = environment.timer().schedule(() -> {
			if (cancel()) {
				environment.notifier().aborted("channel", "abandoned-io-timeout", "proxy", true);
				logger.warn("Proxy '" + environment.proxyName() + "' aborted the I/O of abandoned call " + callId
						+ " after " + limit.toMillis() + " ms (abandoned-io-timeout)");
			}
		}, limit);
		this.ioLimit = scheduled;
		if (this.ioEnded) {
			scheduled.cancel(false);
		}
	}

	@Nullable String channelId() {
		Channel current = this.channel;
		return (current != null) ? current.id() : null;
	}

}
