package io.github.cancellablesoap.test.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as a {@link ScriptedHttpServer} read it: request line, headers and the
 * decoded body (a {@code Content-Length} body or a de-chunked
 * {@code Transfer-Encoding: chunked} body).
 * <p>
 * Immutable and thread-safe ({@link #bodyBytes()} hands out a copy). Header names are
 * looked up without regard to case.
 *
 * @author Cancellable SOAP
 */
public final class RecordedRequest {

	private final String method;

	private final String target;

	private final String version;

	private final Map<String, List<String>> headers;

	private final byte[] body;

	private final long receivedNanos;

	private final Instant receivedAt;

	/**
	 * A request as read.
	 * @param method the request method, for example {@code POST}
	 * @param target the request target as sent, for example {@code /ws/orders}
	 * @param version the protocol version as sent, for example {@code HTTP/1.1}
	 * @param headers every header, by name (a case-insensitive, unmodifiable map), values
	 * in the order received
	 * @param body the decoded body, empty when there was none
	 * @param receivedNanos {@link System#nanoTime()} when the whole request had been read
	 * @param receivedAt the wall-clock time of the same moment
	 */
	public RecordedRequest(String method, String target, String version, Map<String, List<String>> headers, byte[] body,
			long receivedNanos, Instant receivedAt) {
		this.method = Objects.requireNonNull(method, "method");
		this.target = Objects.requireNonNull(target, "target");
		this.version = Objects.requireNonNull(version, "version");
		this.headers = Objects.requireNonNull(headers, "headers");
		this.body = body.clone();
		this.receivedNanos = receivedNanos;
		this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
	}

	/**
	 * The request method.
	 * @return for example {@code POST}
	 */
	public String method() {
		return this.method;
	}

	/**
	 * The request target as sent: the path (with its query), or the absolute URI of a
	 * request to a forward proxy.
	 * @return for example {@code /ws/orders}
	 */
	public String target() {
		return this.target;
	}

	/**
	 * The protocol version as sent.
	 * @return for example {@code HTTP/1.1}
	 */
	public String version() {
		return this.version;
	}

	/**
	 * Every header, the trailers of a chunked body included.
	 * @return a case-insensitive, unmodifiable map, values in the order received
	 */
	public Map<String, List<String>> headers() {
		return this.headers;
	}

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
	 * The body decoded as UTF-8.
	 * @return the body, empty when there was none
	 */
	public String body() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/**
	 * The body's bytes, as received (after de-chunking, before any content decoding).
	 * @return a copy of the bytes
	 */
	public byte[] bodyBytes() {
		return this.body.clone();
	}

	/**
	 * The body's length.
	 * @return the number of body bytes
	 */
	public int bodyLength() {
		return this.body.length;
	}

	/**
	 * When the whole request had been read, on this JVM's monotonic clock.
	 * @return the {@link System#nanoTime()} of that moment
	 */
	public long receivedNanos() {
		return this.receivedNanos;
	}

	/**
	 * When the whole request had been read, on the wall clock.
	 * @return the instant
	 */
	public Instant receivedAt() {
		return this.receivedAt;
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

	@Override
	public String toString() {
		return this.method + " " + this.target + " " + this.version + " (" + this.body.length + " body bytes)";
	}

}
