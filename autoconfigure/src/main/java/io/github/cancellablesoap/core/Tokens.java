package io.github.cancellablesoap.core;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues unguessable random tokens, used as capabilities: whoever holds one may act on
 * the thing it was issued for.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class Tokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private Tokens() {
	}

	/**
	 * A new token of 128 random bits, URL-safe Base64 without padding.
	 * @return the token
	 */
	public static String next() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return ENCODER.encodeToString(bytes);
	}

}
