package io.github.cancellablesoap.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.core.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * Explicit cancels that overtook their request: a caller's cancel travels on its own
 * connection and may reach the host before the request it cancels (a call aborted just
 * after its request went out). The host keeps such a cancel for {@link #TTL}, with the
 * token it presented; the request, when it arrives with that call id and that token, is
 * cancelled ({@link CancelReason#CALLER_CANCELLED}) as soon as it is admitted. A request
 * with another token is not touched: only the token's holder can cancel.
 * <p>
 * At most {@value #MAX_KEPT} cancels are kept; a new one beyond that pushes out the
 * oldest, so a flood of made-up cancels costs bounded memory and can only make a real
 * overtaken cancel be forgotten (its request then runs, and the caller's closed socket
 * still ends it). Checking an admission costs nothing while none is kept.
 * <p>
 * Thread-safe.
 */
final class EarlyCancels {

	/** How long a cancel whose request has not arrived is kept. */
	static final Duration TTL = Duration.ofSeconds(10);

	/** The most cancels kept at once. */
	static final int MAX_KEPT = 1024;

	private final Ticker ticker;

	private final Map<String, Kept> kept = new LinkedHashMap<>();

	private volatile int size;

	EarlyCancels(Ticker ticker) {
		this.ticker = ticker;
	}

	/**
	 * Keep the cancel of a call whose operation is not here.
	 * @param callerCallId the call id
	 * @param token the token the cancel presented
	 */
	void remember(String callerCallId, String token) {
		long now = this.ticker.nanoTime();
		synchronized (this.kept) {
			purge(now);
			this.kept.remove(callerCallId);
			if (this.kept.size() >= MAX_KEPT) {
				Iterator<Kept> oldest = this.kept.values().iterator();
				oldest.next();
				oldest.remove();
			}
			this.kept.put(callerCallId, new Kept(bytes(token), now + TTL.toNanos()));
			this.size = this.kept.size();
		}
	}

	/**
	 * Whether a cancel came before this request: the same call id with the same token,
	 * within {@link #TTL}; a match is used up.
	 * @param callerCallId the request's call id, or {@code null}
	 * @param token the request's token, or {@code null}
	 * @return {@code true} when the request is to be cancelled at once
	 */
	boolean claim(@Nullable String callerCallId, @Nullable String token) {
		if (this.size == 0 || callerCallId == null || token == null) {
			return false;
		}
		long now = this.ticker.nanoTime();
		synchronized (this.kept) {
			purge(now);
			Kept cancel = this.kept.get(callerCallId);
			boolean match = cancel != null && MessageDigest.isEqual(cancel.token(), bytes(token));
			if (match) {
				this.kept.remove(callerCallId);
			}
			this.size = this.kept.size();
			return match;
		}
	}

	/**
	 * How many cancels are kept.
	 * @return the count
	 */
	int size() {
		return this.size;
	}

	private void purge(long now) {
		Iterator<Kept> entries = this.kept.values().iterator();
		while (entries.hasNext()) {
			if (entries.next().expiresAt() - now > 0) {
				return;
			}
			entries.remove();
		}
	}

	private static byte[] bytes(String token) {
		return token.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * A kept cancel: its token and when it is forgotten.
	 */
	private record Kept(byte[] token, long expiresAt) {

	}

}
