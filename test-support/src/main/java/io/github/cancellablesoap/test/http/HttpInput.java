package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.util.Timeout;

/**
 * Reads HTTP/1.1 requests from a socket for a {@link ServerConnection}, parsed by Apache
 * HttpCore's {@link DefaultBHttpServerConnection} (request line, headers,
 * {@code Content-Length} and chunked bodies with their trailers). Its input buffer lets
 * the connection tell "the client sent more bytes" from "the client closed" without
 * consuming anything. Responses are not written through it: the connection writes raw
 * bytes to the socket. Used by one connection thread only.
 */
final class HttpInput {

	private static final Http1Config CONFIG = Http1Config.custom().setMaxLineLength(64 * 1024).build();

	private final Socket socket;

	private final DefaultBHttpServerConnection connection = new DefaultBHttpServerConnection("http", CONFIG);

	HttpInput(Socket socket) throws IOException {
		this.socket = socket;
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
	 */
	ClassicHttpRequest readHead() throws IOException {
		try {
			return this.connection.receiveRequestHeader();
		}
		catch (HttpException ex) {
			throw new IllegalStateException("Malformed request head", ex);
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
	 * Read the body that a head announces and build the recorded request.
	 * @param head the head read before
	 * @return the request, with the trailers of a chunked body among its headers
	 * @throws IOException if reading failed or the peer closed within the body
	 */
	RecordedRequest readBody(ClassicHttpRequest head) throws IOException {
		try {
			this.connection.receiveRequestEntity(head);
		}
		catch (HttpException ex) {
			throw new IllegalStateException("Malformed request body", ex);
		}
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		add(headers, head.getHeaders());
		byte[] body = new byte[0];
		if (head.getEntity() != null) {
			try (InputStream content = head.getEntity().getContent()) {
				body = content.readAllBytes();
				if (content instanceof ChunkedInputStream chunked) {
					add(headers, chunked.getFooters());
				}
			}
		}
		headers.replaceAll((name, values) -> List.copyOf(values));
		return new RecordedRequest(head.getMethod(), targetAsSent(head), String.valueOf(head.getVersion()),
				Collections.unmodifiableMap(headers), new String(body, StandardCharsets.UTF_8), System.nanoTime());
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

}
