package io.github.cancellablesoap.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues unguessable random tokens, used as capabilities: whoever holds one may act on
 * the thing it was issued for.
 * <p>
 * A token is drawn for every proxy call, from many threads at once, so the generators are
 * striped: a few independent DRBG instances (each seeded once from the system's entropy
 * source, each with its own lock), picked by the calling thread. One shared
 * {@code SecureRandom} would make every caller queue on one lock (the JDK's
 * {@code NativePRNG} serialises all its instances on a single one).
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class Tokens {

	private static final SecureRandom[] STRIPES = stripes(
			Integer.highestOneBit(Math.min(64, Runtime.getRuntime().availableProcessors() * 4)));

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private Tokens() {
	}

	/**
	 * A new token of 128 random bits, URL-safe Base64 without padding.
	 * @return the token
	 */
	public static String next() {
		byte[] bytes = new byte[16];
		int spread = Thread.currentThread().hashCode() * 0x9E3779B9;
		STRIPES[(spread >>> 16) & (STRIPES.length - 1)].nextBytes(bytes);
		return ENCODER.encodeToString(bytes);
	}

	private static SecureRandom[] stripes(int count) {
		SecureRandom[] stripes = new SecureRandom[count];
		for (int i = 0; i < count; i++) {
			stripes[i] = drbg();
		}
		return stripes;
	}

	private static SecureRandom drbg() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

}
