package io.github.cancellablesoap.core;

import java.net.URI;

/**
 * Turns a service address into the form that may be shown to people: in operator answers,
 * health details, logs and exception messages. Addresses can carry secrets (user info,
 * API keys in the query), so every place that displays one goes through
 * {@link #redact(URI)}: the user info and the fragment are dropped, each query value is
 * replaced with {@code ***} (parameter names are kept, so that operators still see which
 * endpoint variant is called).
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class Addresses {

	/** What a query value is shown as. */
	public static final String REDACTED = "***";

	private Addresses() {
	}

	/**
	 * The displayable form of an address, such as
	 * {@code https://quotes.internal:8443/ws?apikey=***}.
	 * @param address the address
	 * @return the address without user info, fragment or query values
	 */
	public static String redact(URI address) {
		if (address.isOpaque() || address.getRawAuthority() == null) {
			// Nothing here has the shape of a service address; show only its scheme.
			return (address.getScheme() != null) ? address.getScheme() + ":" + REDACTED : REDACTED;
		}
		StringBuilder shown = new StringBuilder(64);
		if (address.getScheme() != null) {
			shown.append(address.getScheme()).append("://");
		}
		String host = address.getHost();
		if (host != null) {
			shown.append(host);
			if (address.getPort() >= 0) {
				shown.append(':').append(address.getPort());
			}
		}
		else {
			String authority = address.getRawAuthority();
			int at = authority.lastIndexOf('@');
			shown.append((at >= 0) ? authority.substring(at + 1) : authority);
		}
		String path = address.getRawPath();
		if (path != null) {
			shown.append(path);
		}
		String query = address.getRawQuery();
		if (query != null) {
			shown.append('?');
			appendRedactedQuery(query, shown);
		}
		return shown.toString();
	}

	/**
	 * The displayable form of an address given as text; text that is not a URI is not
	 * shown at all.
	 * @param address the address
	 * @return the address without user info, fragment or query values
	 * @see #redact(URI)
	 */
	public static String redact(String address) {
		try {
			return redact(new URI(address));
		}
		catch (Exception ex) {
			return "(unparsable address)";
		}
	}

	private static void appendRedactedQuery(String query, StringBuilder shown) {
		int start = 0;
		while (start <= query.length()) {
			int end = query.indexOf('&', start);
			if (end < 0) {
				end = query.length();
			}
			int equals = query.indexOf('=', start);
			if (equals >= 0 && equals < end) {
				shown.append(query, start, equals + 1).append(REDACTED);
			}
			else {
				shown.append(query, start, end);
			}
			if (end < query.length()) {
				shown.append('&');
			}
			start = end + 1;
		}
	}

}
