package io.github.cancellablesoap.core;

/**
 * The one set of rules for the strings users and peers give this project as names: proxy
 * and host names, host paths, and call ids carried in from a peer. Settings, wiring, the
 * operator surface and the host's intake all check through here, so a name accepted in
 * one place is accepted everywhere.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class Names {

	/** The longest proxy or host name. */
	public static final int MAX_NAME_LENGTH = 63;

	/** The longest call id a peer may send. */
	public static final int MAX_PEER_CALL_ID_LENGTH = 128;

	private static final String NAME_RULE = "1 to " + MAX_NAME_LENGTH
			+ " letters, digits, '.', '_' or '-', starting with a letter or digit";

	private Names() {
	}

	/**
	 * Whether a string is a valid proxy or host name: 1 to 63 ASCII letters, digits, '.',
	 * '_' or '-', starting with a letter or digit (safe in bean names, metric tags and
	 * URL path segments).
	 * @param candidate the string to check, may be {@code null}
	 * @return {@code true} when it is a valid name
	 */
	public static boolean isName(String candidate) {
		if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_NAME_LENGTH
				|| !isLetterOrDigit(candidate.charAt(0))) {
			return false;
		}
		for (int i = 1; i < candidate.length(); i++) {
			char ch = candidate.charAt(i);
			if (!isLetterOrDigit(ch) && ch != '.' && ch != '_' && ch != '-') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Check a proxy or host name.
	 * @param kind what is named, for the message, for example {@code "service proxy"}
	 * @param candidate the name
	 * @return the name
	 * @throws IllegalArgumentException naming the rule when the name breaks it
	 */
	public static String requireName(String kind, String candidate) {
		if (!isName(candidate)) {
			throw new IllegalArgumentException(
					"A " + kind + " name must be " + NAME_RULE + ", not '" + shown(candidate) + "'");
		}
		return candidate;
	}

	/**
	 * Whether a string is a valid host path: one or more segments of ASCII letters,
	 * digits, '.', '_', '~' or '-', each after a '/', no trailing slash, no wildcards.
	 * @param candidate the string to check, may be {@code null}
	 * @return {@code true} when it is a valid path
	 */
	public static boolean isPath(String candidate) {
		if (candidate == null || candidate.length() < 2 || candidate.charAt(0) != '/'
				|| candidate.charAt(candidate.length() - 1) == '/') {
			return false;
		}
		for (int i = 1; i < candidate.length(); i++) {
			char ch = candidate.charAt(i);
			if (ch == '/') {
				if (candidate.charAt(i - 1) == '/') {
					return false;
				}
			}
			else if (!isLetterOrDigit(ch) && ch != '.' && ch != '_' && ch != '~' && ch != '-') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Check a host path.
	 * @param hostName the host's name, for the message
	 * @param candidate the path
	 * @return the path
	 * @throws IllegalArgumentException naming the rule when the path breaks it
	 */
	public static String requirePath(String hostName, String candidate) {
		if (!isPath(candidate)) {
			throw new IllegalArgumentException("The path of service host '" + hostName
					+ "' must look like /orders or /soap/orders (no trailing slash, no wildcards), not '"
					+ shown(candidate) + "'");
		}
		return candidate;
	}

	/**
	 * Whether a string a peer sent is acceptable as its call id: 1 to 128 ASCII letters,
	 * digits, '.', '_', ':', '~' or '-'. Anything else is dropped, never echoed.
	 * @param candidate the header value, may be {@code null}
	 * @return {@code true} when it can be carried as the caller's call id
	 */
	public static boolean isPeerCallId(String candidate) {
		if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_PEER_CALL_ID_LENGTH) {
			return false;
		}
		for (int i = 0; i < candidate.length(); i++) {
			char ch = candidate.charAt(i);
			if (!isLetterOrDigit(ch) && ch != '.' && ch != '_' && ch != ':' && ch != '~' && ch != '-') {
				return false;
			}
		}
		return true;
	}

	private static String shown(String candidate) {
		if (candidate == null) {
			return "null";
		}
		StringBuilder shown = new StringBuilder(Math.min(candidate.length(), 80));
		for (int i = 0; i < candidate.length() && shown.length() < 80; i++) {
			char ch = candidate.charAt(i);
			shown.append((ch < 0x20 || ch == 0x7f) ? '?' : ch);
		}
		return (candidate.length() > 80) ? shown + "..." : shown.toString();
	}

	private static boolean isLetterOrDigit(char ch) {
		return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
	}

}
