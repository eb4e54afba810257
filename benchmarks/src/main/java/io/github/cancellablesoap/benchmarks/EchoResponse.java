package io.github.cancellablesoap.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The answer of the {@link LoopbackServer} and of the {@link InMemoryTransport}: a SOAP
 * 1.1 {@code EchoResponse} with a status, an id and a checksum that echoes the request's
 * {@code <b:items>} element byte for byte, so that the response is about as large as the
 * request ({@link Payload} checks it); a request without items gets the same small
 * response every time.
 * <p>
 * Stateless and thread-safe.
 */
final class EchoResponse {

	private static final byte[] OPEN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			+ "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<SOAP-ENV:Header/><SOAP-ENV:Body>" + "<b:EchoResponse xmlns:b=\"" + LoopbackServer.NAMESPACE
			+ "\"><b:status>ok</b:status><b:id>42</b:id><b:checksum>9f2c61d0</b:checksum>")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] CLOSE = "</b:EchoResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] ITEMS_OPEN = "<b:items>".getBytes(StandardCharsets.UTF_8);

	private static final byte[] ITEMS_CLOSE = "</b:items>".getBytes(StandardCharsets.UTF_8);

	private EchoResponse() {
	}

	/**
	 * Write the HTTP response to a request: status line, headers and body.
	 * @param request the request body
	 * @param out where to write (buffered; the caller flushes)
	 * @throws IOException if writing failed
	 */
	static void write(byte[] request, OutputStream out) throws IOException {
		int[] items = items(request);
		int length = OPEN.length + (items[1] - items[0]) + CLOSE.length;
		out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + length + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		writeBody(request, items, out);
	}

	/**
	 * The body of the response to a request.
	 * @param request the request body (or payload)
	 * @return the response's SOAP envelope
	 */
	static byte[] body(byte[] request) {
		int[] items = items(request);
		ByteArrayOutputStream out = new ByteArrayOutputStream(OPEN.length + (items[1] - items[0]) + CLOSE.length);
		try {
			writeBody(request, items, out);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toByteArray();
	}

	private static void writeBody(byte[] request, int[] items, OutputStream out) throws IOException {
		out.write(OPEN);
		out.write(request, items[0], items[1] - items[0]);
		out.write(CLOSE);
	}

	/**
	 * Where the items element starts and ends.
	 * @return the start and the end (exclusive); equal when there is none
	 */
	private static int[] items(byte[] request) {
		int open = LoopbackRequest.indexOf(request, ITEMS_OPEN, 0);
		int close = (open >= 0) ? LoopbackRequest.lastIndexOf(request, ITEMS_CLOSE) : -1;
		if (close < open) {
			return new int[] { 0, 0 };
		}
		return new int[] { open, close + ITEMS_CLOSE.length };
	}

}
