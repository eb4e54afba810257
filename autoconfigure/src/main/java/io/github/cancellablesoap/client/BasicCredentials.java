package io.github.cancellablesoap.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password sent as HTTP Basic credentials, to a service or to a forward
 * proxy. The password never leaves this object except inside the encoded header value:
 * {@link #toString()} and every error show the user name only.
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class BasicCredentials {

	private final String username;

	private final String password;

	private final String headerValue;

	/**
	 * Create credentials.
	 * @param username the user name; must not contain a colon (RFC 7617)
	 * @param password the password, possibly empty
	 */
	public BasicCredentials(String username, String password) {
		Objects.requireNonNull(username, "username");
		Objects.requireNonNull(password, "password");
		if (username.isEmpty() || username.indexOf(':') >= 0) {
			// not echoed: "user:password" in the user name is a common mistake
			throw new IllegalArgumentException("A Basic user name must be non-empty and contain no colon");
		}
		this.username = username;
		this.password = password;
		this.headerValue = "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	public String username() {
		return this.username;
	}

	/**
	 * The password, for a client that does its own encoding.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	/**
	 * The value of an {@code Authorization} (or {@code Proxy-Authorization}) header,
	 * computed once.
	 * @return {@code Basic} and the encoded user name and password
	 */
	public String headerValue() {
		return this.headerValue;
	}

	@Override
	public String toString() {
		return "BasicCredentials[username=" + this.username + ", password=******]";
	}

}
