package io.github.cancellablesoap.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues short identifiers that are unique in this JVM and safe in URLs, headers and
 * logs: a prefix, a dash and a base-36 sequence number. They carry no secret and grant
 * nothing; use {@link Tokens} where a value must not be guessable.
 * <p>
 * Thread-safe: {@link #next()} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
public final class Ids {

	private final String prefix;

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Create an id sequence.
	 * @param prefix letters that say what the ids name, for example {@code "c"} for calls
	 */
	public Ids(String prefix) {
		if (!prefix.chars().allMatch((ch) -> ch >= 'a' && ch <= 'z')) {
			throw new IllegalArgumentException("An id prefix must be lower-case letters, not '" + prefix + "'");
		}
		this.prefix = prefix + "-";
	}

	/**
	 * The next id of this sequence.
	 * @return a new id, never returned before by this instance
	 */
	public String next() {
		return this.prefix + Long.toString(this.sequence.incrementAndGet(), 36);
	}

	/**
	 * Whether a string could be an id of this kind: it guards look-ups from hostile
	 * input.
	 * @param candidate the string to check
	 * @return {@code true} when the string has the shape of an id of this sequence
	 */
	public boolean isWellFormed(String candidate) {
		int length = candidate.length();
		if (length <= this.prefix.length() || length > this.prefix.length() + 13
				|| !candidate.startsWith(this.prefix)) {
			return false;
		}
		for (int i = this.prefix.length(); i < length; i++) {
			char ch = candidate.charAt(i);
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z'))) {
				return false;
			}
		}
		return true;
	}

}
