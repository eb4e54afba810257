package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestParserFactory;
import org.apache.hc.core5.util.Timeout;

/**
 * Reads HTTP/1.1 requests from a socket for a {@link ServerConnection}, parsed by Apache
 * HttpCore's {@link DefaultBHttpServerConnection} (request line, headers,
 * {@code Content-Length} and chunked bodies with their trailers), within bounds: a
 * request or header line of at most 64 KiB, at most 256 headers, and a body of at most
 * the server's {@link ScriptedHttpServer.Builder#maxRequestBodyBytes(int) limit}. Its
 * input buffer lets the connection tell "the client sent more bytes" from "the client
 * closed" without consuming anything. Responses are not written through it: the
 * connection writes raw bytes to the socket. Used by one connection thread only.
 */
final class HttpInput {

	static final int MAX_LINE_LENGTH = 64 * 1024;

	static final int MAX_HEADER_COUNT = 256;

	private static final Http1Config CONFIG = Http1Config.custom()
		.setMaxLineLength(MAX_LINE_LENGTH)
		.setMaxHeaderCount(MAX_HEADER_COUNT)
		.build();

	private final Socket socket;

	private final int maxBodyBytes;

	private final Connection connection = new Connection();

	HttpInput(Socket socket, int maxBodyBytes) throws IOException {
		this.socket = socket;
		this.maxBodyBytes = maxBodyBytes;
		this.connection.bind(socket);
	}

	/**
	 * Block until at least one unread byte is buffered or the peer closed.
	 * @return {@code false} at end of stream
	 * @throws IOException if reading failed, for example on a connection reset
	 */
	boolean awaitData() throws IOException {
		return this.connection.isDataAvailable(Timeout.DISABLED);
	}

	/**
	 * Watch the connection for a while without consuming anything: return as soon as the
	 * peer closes or sends bytes, or when the time is up.
	 * @param time how long to watch, more than zero
	 * @return what happened
	 * @throws IOException if reading failed, for example on a connection reset
	 */
	Arrival watch(Duration time) throws IOException {
		try {
			return this.connection.awaitInput(Timeout.of(time)) ? Arrival.DATA : Arrival.END_OF_STREAM;
		}
		catch (SocketTimeoutException ex) {
			return Arrival.NOTHING;
		}
	}

	/**
	 * Read and discard everything until the peer closes.
	 * @throws IOException if reading failed, for example on a connection reset
	 */
	void drainUntilEndOfStream() throws IOException {
		this.socket.getInputStream().transferTo(OutputStream.nullOutputStream());
	}

	/**
	 * Read a request head.
	 * @return the head, or {@code null} when the peer closed before sending a byte of it
	 * @throws IOException if reading failed or the peer closed within the head
	 * @throws RejectedRequestException if the head is malformed or over the bounds
	 */
	ClassicHttpRequest readHead() throws IOException {
		try {
			return this.connection.receiveRequestHeader();
		}
		catch (MessageConstraintException ex) {
			throw new RejectedRequestException(431, "Request head over the bounds (lines up to " + MAX_LINE_LENGTH
					+ " bytes, up to " + MAX_HEADER_COUNT + " headers): " + ex.getMessage(), ex);
		}
		catch (HttpException ex) {
			if (ex.getCause() instanceof MessageConstraintException
					|| String.valueOf(ex.getMessage()).startsWith("Maximum")) {
				// HttpCore's parser reports a header count over the bound as a protocol
				// error.
				throw new RejectedRequestException(431, "Request head over the bounds (up to " + MAX_HEADER_COUNT
						+ " headers, lines up to " + MAX_LINE_LENGTH + " bytes): " + ex.getMessage(), ex);
			}
			throw new RejectedRequestException(400, "Malformed request head: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a request head asks for {@code 100 Continue} before its body is sent.
	 * @param head the head
	 * @return whether it carries {@code Expect: 100-continue}
	 */
	static boolean expectsContinue(ClassicHttpRequest head) {
		Header expect = head.getFirstHeader("Expect");
		return expect != null && "100-continue".equalsIgnoreCase(expect.getValue());
	}

	/**
	 * Check a head's declared body length against the bound, before any body is read or
	 * {@code 100 Continue} is sent.
	 * @param head the head
	 * @throws RejectedRequestException if the declared length is over the bound
	 */
	void checkDeclaredLength(ClassicHttpRequest head) {
		Header length = head.getFirstHeader("Content-Length");
		if (length == null) {
			return;
		}
		long declared;
		try {
			declared = Long.parseLong(length.getValue().trim());
		}
		catch (NumberFormatException ex) {
			throw new RejectedRequestException(400, "Malformed Content-Length: " + length.getValue(), ex);
		}
		if (declared > this.maxBodyBytes) {
			throw tooLarge("declares " + declared + " bytes");
		}
	}

	/**
	 * Read the body that a head announces and build the recorded request.
	 * @param head the head read before
	 * @return the request, with the trailers of a chunked body among its headers
	 * @throws IOException if reading failed or the peer closed within the body
	 * @throws RejectedRequestException if the body is malformed or over the bound
	 */
	RecordedRequest readBody(ClassicHttpRequest head) throws IOException {
		try {
			this.connection.receiveRequestEntity(head);
		}
		catch (HttpException ex) {
			throw new RejectedRequestException(400, "Malformed request body: " + ex.getMessage(), ex);
		}
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		add(headers, head.getHeaders());
		byte[] body = new byte[0];
		if (head.getEntity() != null) {
			try (InputStream content = head.getEntity().getContent()) {
				body = content.readNBytes(this.maxBodyBytes);
				if (content.read() != -1) {
					throw tooLarge("goes on past the bound");
				}
				if (content instanceof ChunkedInputStream chunked) {
					add(headers, chunked.getFooters());
				}
			}
			catch (MessageConstraintException ex) {
				throw new RejectedRequestException(400, "Malformed chunked body: " + ex.getMessage(), ex);
			}
		}
		headers.replaceAll((name, values) -> List.copyOf(values));
		return new RecordedRequest(head.getMethod(), targetAsSent(head), String.valueOf(head.getVersion()),
				Collections.unmodifiableMap(headers), body, System.nanoTime(), Instant.now());
	}

	private RejectedRequestException tooLarge(String what) {
		return new RejectedRequestException(413,
				"Request body " + what + "; this server takes at most " + this.maxBodyBytes + " bytes", null);
	}

	/**
	 * The request target in the form it was sent: the absolute URI of a request to a
	 * forward proxy, the path otherwise.
	 */
	private static String targetAsSent(ClassicHttpRequest head) {
		if (head.getAuthority() == null) {
			return head.getRequestUri();
		}
		return (head.getScheme() != null) ? head.getScheme() + "://" + head.getAuthority() + head.getRequestUri()
				: head.getRequestUri();
	}

	private static void add(Map<String, List<String>> headers, Header[] toAdd) {
		for (Header header : toAdd) {
			headers.computeIfAbsent(header.getName(), (name) -> new ArrayList<>()).add(header.getValue());
		}
	}

	/**
	 * What {@link #watch(Duration)} saw.
	 */
	enum Arrival {

		/** The peer sent bytes (they stay buffered for the next read). */
		DATA,

		/** The peer closed its side. */
		END_OF_STREAM,

		/** Nothing, for the whole time. */
		NOTHING

	}

	/**
	 * HttpCore's server connection, with its timed wait that tells a timeout from end of
	 * stream (the public {@code isDataAvailable} answers {@code false} for both).
	 */
	private static final class Connection extends DefaultBHttpServerConnection {

		Connection() {
			// The parser gets the configuration too: the short constructor leaves it
			// without the header count bound.
			super("http", CONFIG, null, null, null, null, new DefaultHttpRequestParserFactory(CONFIG), null);
		}

		@Override
		protected boolean awaitInput(Timeout timeout) throws IOException {
			return super.awaitInput(timeout);
		}

	}

}
