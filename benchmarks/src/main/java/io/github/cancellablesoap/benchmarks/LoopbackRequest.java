package io.github.cancellablesoap.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the {@link LoopbackServer} reads it: the head up to its blank line, the
 * headers by lower-case name, and the {@code Content-Length} body. A head cut short by
 * the end of the stream, or longer than 64 KiB, gives an invalid request with an empty
 * head. Immutable.
 *
 * @param head the request line and headers, or empty when unreadable
 * @param headers the headers by lower-case name
 * @param body the body, possibly shorter than announced when the stream ended
 */
record LoopbackRequest(String head, Map<String, String> headers, byte[] body) {

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	/**
	 * Read the next request.
	 * @param in the connection's (buffered) input
	 * @return the request, or {@code null} when the stream ended before its first byte
	 * @throws IOException if reading failed
	 */
	static LoopbackRequest read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(512);
		int matched = 0;
		while (matched < 4) {
			int next = in.read();
			if (next == -1 || head.size() >= MAX_HEAD_BYTES) {
				return (head.size() == 0) ? null : new LoopbackRequest("", Map.of(), new byte[0]);
			}
			head.write(next);
			matched = (next == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		Map<String, String> headers = new HashMap<>();
		String[] lines = text.split("\r\n");
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		String length = headers.get("content-length");
		byte[] body = (length != null) ? in.readNBytes(Integer.parseInt(length.trim())) : new byte[0];
		return new LoopbackRequest(text, headers, body);
	}

	/**
	 * Whether this is a complete POST whose body holds an element.
	 * @param element the element's local name
	 * @return whether the request is valid
	 */
	boolean isValid(String element) {
		String length = this.headers.get("content-length");
		return this.head.startsWith("POST ") && length != null && this.body.length == Integer.parseInt(length.trim())
				&& indexOf(this.body, element.getBytes(StandardCharsets.UTF_8), 0) >= 0;
	}

	/**
	 * Where a byte sequence first occurs.
	 * @param bytes where to look
	 * @param part what to look for
	 * @param from the first index to consider
	 * @return the index, or -1
	 */
	static int indexOf(byte[] bytes, byte[] part, int from) {
		int last = bytes.length - part.length;
		for (int i = Math.max(0, from); i <= last; i++) {
			if (matches(bytes, part, i)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Where a byte sequence last occurs.
	 * @param bytes where to look
	 * @param part what to look for
	 * @return the index, or -1
	 */
	static int lastIndexOf(byte[] bytes, byte[] part) {
		for (int i = bytes.length - part.length; i >= 0; i--) {
			if (matches(bytes, part, i)) {
				return i;
			}
		}
		return -1;
	}

	private static boolean matches(byte[] bytes, byte[] part, int at) {
		return Arrays.equals(bytes, at, at + part.length, part, 0, part.length);
	}

	/**
	 * The call id the proxy's transport sends.
	 * @return the {@code Soap-Call-Id} header, or {@code null}
	 */
	String callId() {
		return this.headers.get("soap-call-id");
	}

}
