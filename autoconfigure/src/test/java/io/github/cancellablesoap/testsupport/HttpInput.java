package io.github.cancellablesoap.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads HTTP/1.1 requests from a socket's input stream for a {@link ServerConnection},
 * with its own buffer so it can tell "the client sent more bytes" from "the client
 * closed" without consuming anything. Used by one connection thread only.
 */
final class HttpInput {

	private static final int MAX_LINE = 64 * 1024;

	private final InputStream in;

	private final byte[] buffer = new byte[8192];

	private int position;

	private int limit;

	HttpInput(InputStream in) {
		this.in = in;
	}

	/**
	 * Block until at least one unread byte is buffered or the peer closed.
	 * @return {@code false} at end of stream
	 * @throws IOException if reading failed, for example on a connection reset
	 */
	boolean awaitData() throws IOException {
		if (this.position < this.limit) {
			return true;
		}
		int read = this.in.read(this.buffer);
		if (read == -1) {
			return false;
		}
		this.position = 0;
		this.limit = read;
		return true;
	}

	/**
	 * Read and discard everything until the peer closes.
	 * @throws IOException if reading failed, for example on a connection reset
	 */
	void drainUntilEndOfStream() throws IOException {
		do {
			this.position = this.limit;
		}
		while (awaitData());
	}

	/**
	 * Read a request head.
	 * @return the head, or {@code null} when the peer closed before sending a byte of it
	 * @throws IOException if reading failed or the peer closed within the head
	 */
	RequestHead readHead() throws IOException {
		String requestLine = readLine(true);
		while (requestLine != null && requestLine.isEmpty()) {
			requestLine = readLine(true);
		}
		if (requestLine == null) {
			return null;
		}
		String[] parts = requestLine.split(" ");
		if (parts.length != 3) {
			throw new MalformedRequestException("Bad request line: " + requestLine);
		}
		Map<String, List<String>> headers = readHeaders();
		return new RequestHead(parts[0], parts[1], parts[2], headers);
	}

	/**
	 * Read the body that a head announces and build the recorded request.
	 * @param head the head read before
	 * @return the request
	 * @throws IOException if reading failed or the peer closed within the body
	 */
	RecordedRequest readBody(RequestHead head) throws IOException {
		byte[] body;
		String transferEncoding = head.header("Transfer-Encoding");
		String contentLength = head.header("Content-Length");
		if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			body = readChunked(head);
		}
		else if (contentLength != null) {
			long length;
			try {
				length = Long.parseLong(contentLength.trim());
			}
			catch (NumberFormatException ex) {
				throw new MalformedRequestException("Bad Content-Length: " + contentLength);
			}
			if (length < 0 || length > Integer.MAX_VALUE - 16) {
				throw new MalformedRequestException("Unsupported Content-Length: " + contentLength);
			}
			body = readExactly((int) length);
		}
		else {
			body = new byte[0];
		}
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		head.headers().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		return new RecordedRequest(head.method(), head.target(), head.version(), Collections.unmodifiableMap(headers),
				new String(body, StandardCharsets.UTF_8), System.nanoTime());
	}

	private byte[] readChunked(RequestHead head) throws IOException {
		List<byte[]> chunks = new ArrayList<>();
		int total = 0;
		while (true) {
			String sizeLine = readLine(false);
			int semicolon = sizeLine.indexOf(';');
			String size = ((semicolon >= 0) ? sizeLine.substring(0, semicolon) : sizeLine).trim();
			int length;
			try {
				length = Integer.parseInt(size, 16);
			}
			catch (NumberFormatException ex) {
				throw new MalformedRequestException("Bad chunk size line: " + sizeLine);
			}
			if (length < 0) {
				throw new MalformedRequestException("Bad chunk size line: " + sizeLine);
			}
			if (length == 0) {
				head.headers().putAll(readHeaders());
				break;
			}
			chunks.add(readExactly(length));
			total += length;
			if (!readLine(false).isEmpty()) {
				throw new MalformedRequestException("Chunk not followed by CRLF");
			}
		}
		byte[] body = new byte[total];
		int offset = 0;
		for (byte[] chunk : chunks) {
			System.arraycopy(chunk, 0, body, offset, chunk.length);
			offset += chunk.length;
		}
		return body;
	}

	private Map<String, List<String>> readHeaders() throws IOException {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		String line = readLine(false);
		while (!line.isEmpty()) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new MalformedRequestException("Bad header line: " + line);
			}
			headers.computeIfAbsent(line.substring(0, colon).trim(), (name) -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
			line = readLine(false);
		}
		return headers;
	}

	private byte[] readExactly(int length) throws IOException {
		byte[] result = new byte[length];
		int filled = 0;
		while (filled < length) {
			if (!awaitData()) {
				throw new EOFException("Peer closed after " + filled + " of " + length + " body bytes");
			}
			int count = Math.min(length - filled, this.limit - this.position);
			System.arraycopy(this.buffer, this.position, result, filled, count);
			this.position += count;
			filled += count;
		}
		return result;
	}

	/**
	 * Read a line ending in LF (a preceding CR is dropped), as ISO-8859-1.
	 * @param endOfStreamAllowed whether end of stream before the first byte returns
	 * {@code null} rather than failing
	 */
	private String readLine(boolean endOfStreamAllowed) throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			if (!awaitData()) {
				if (endOfStreamAllowed && line.length() == 0) {
					return null;
				}
				throw new EOFException("Peer closed within a line: " + line);
			}
			byte next = this.buffer[this.position++];
			if (next == '\n') {
				int end = line.length();
				if (end > 0 && line.charAt(end - 1) == '\r') {
					line.setLength(end - 1);
				}
				return line.toString();
			}
			line.append((char) (next & 0xFF));
			if (line.length() > MAX_LINE) {
				throw new MalformedRequestException("Line longer than " + MAX_LINE + " characters");
			}
			endOfStreamAllowed = false;
		}
	}

	/**
	 * The request line and headers of a request.
	 */
	record RequestHead(String method, String target, String version, Map<String, List<String>> headers) {

		String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		boolean expectsContinue() {
			String expect = header("Expect");
			return expect != null && expect.equalsIgnoreCase("100-continue");
		}

	}

	/**
	 * Thrown when a request cannot be parsed.
	 */
	static final class MalformedRequestException extends RuntimeException {

		MalformedRequestException(String message) {
			super(message);
		}

	}

}
