package io.github.cancellablesoap.test.http;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as a {@link ScriptedHttpServer} read it: request line, headers and the
 * decoded body (a {@code Content-Length} body or a de-chunked
 * {@code Transfer-Encoding: chunked} body, read as UTF-8).
 * <p>
 * Immutable and thread-safe. Header names are looked up without regard to case.
 *
 * @param method the request method, for example {@code POST}
 * @param target the request target as sent, for example {@code /ws/orders}
 * @param version the protocol version as sent, for example {@code HTTP/1.1}
 * @param headers every header, by name (case-insensitive map, unmodifiable), values in
 * the order received
 * @param body the body decoded as UTF-8, empty when there was none
 * @param receivedNanos {@link System#nanoTime()} when the whole request had been read
 * @author Cancellable SOAP
 */
public record RecordedRequest(String method, String target, String version, Map<String, List<String>> headers,
		String body, long receivedNanos) {

	/**
	 * The first value of a header.
	 * @param name the header name, in any case
	 * @return the first value, or {@code null} when the request had no such header
	 */
	public String header(String name) {
		List<String> values = this.headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/**
	 * Whether the client asked for the connection to be closed after the response: a
	 * {@code Connection: close} header, or HTTP/1.0 without {@code Connection:
	 * keep-alive}.
	 * @return {@code true} when the connection should not be reused
	 */
	boolean wantsClose() {
		String connection = header("Connection");
		boolean close = hasToken(connection, "close");
		if ("HTTP/1.0".equalsIgnoreCase(this.version)) {
			return close || !hasToken(connection, "keep-alive");
		}
		return close;
	}

	private static boolean hasToken(String value, String token) {
		if (value == null) {
			return false;
		}
		for (String part : value.split(",")) {
			if (part.trim().equalsIgnoreCase(token)) {
				return true;
			}
		}
		return false;
	}

}
