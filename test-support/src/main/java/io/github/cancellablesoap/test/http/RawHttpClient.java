package io.github.cancellablesoap.test.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 client over a plain {@link Socket}, for tests that need what no HTTP
 * client library lets them do: write a request byte by byte (chunk extensions, trailers,
 * {@code Expect: 100-continue} then the body), read a response head without its body, or
 * close the connection with a reset. Every read has a bounded timeout (five seconds
 * unless {@link #setReadTimeout(int) changed}), so that no test can hang on it.
 * <p>
 * Not thread-safe: one test thread drives one client.
 *
 * @author Cancellable SOAP
 */
public final class RawHttpClient implements AutoCloseable {

	/** The read timeout of a new client, in milliseconds. */
	public static final int READ_TIMEOUT_MILLIS = 5000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttpClient(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	/**
	 * Connect to a port on {@code 127.0.0.1}.
	 * @param port the port
	 * @return the connected client
	 * @throws IOException if the connection failed
	 */
	public static RawHttpClient connect(int port) throws IOException {
		return connect("127.0.0.1", port);
	}

	/**
	 * Connect to a host and port.
	 * @param host the host name or address
	 * @param port the port
	 * @return the connected client
	 * @throws IOException if the connection failed
	 */
	public static RawHttpClient connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
		return new RawHttpClient(socket);
	}

	/**
	 * The client's socket.
	 * @return the socket
	 */
	public Socket socket() {
		return this.socket;
	}

	/**
	 * Send a {@code POST} with a {@code Content-Length} body.
	 * @param path the request target
	 * @param body the body, sent as UTF-8
	 * @param headerLines further header lines, such as {@code "SOAPAction: \"urn:x\""}
	 * @throws IOException if writing failed
	 */
	public void post(String path, String body, String... headerLines) throws IOException {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (String headerLine : headerLines) {
			head.append(headerLine).append("\r\n");
		}
		head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
		send(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		send(content);
	}

	/**
	 * Send raw bytes, exactly as given.
	 * @param raw the bytes, as UTF-8
	 * @throws IOException if writing failed
	 */
	public void send(String raw) throws IOException {
		send(raw.getBytes(StandardCharsets.UTF_8));
	}

	private void send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/**
	 * Read a response with a {@code Content-Length} body (or none).
	 * @return the response
	 * @throws IOException if reading failed or timed out
	 */
	public Response readResponse() throws IOException {
		Response head = readHead();
		String length = head.headers().get("content-length");
		byte[] body = readExactly((length != null) ? Integer.parseInt(length) : 0);
		return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
	}

	/**
	 * Read a response's status line and headers only.
	 * @return the head, with an empty body
	 * @throws IOException if reading failed or timed out
	 */
	public Response readHead() throws IOException {
		String statusLine = readLine();
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new TreeMap<>();
		String line = readLine();
		while (!line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			line = readLine();
		}
		return new Response(status, headers, "");
	}

	/**
	 * Read exactly a number of bytes.
	 * @param length how many
	 * @return the bytes
	 * @throws IOException if reading failed or timed out, or the stream ended first
	 */
	public byte[] readExactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Got " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	/**
	 * Read one byte with the socket's read timeout.
	 * @return the byte, or -1 at end of stream
	 * @throws IOException if reading failed or timed out
	 */
	public int read() throws IOException {
		return this.in.read();
	}

	/**
	 * Change the read timeout.
	 * @param millis the timeout in milliseconds
	 * @throws IOException if the socket refused it
	 */
	public void setReadTimeout(int millis) throws IOException {
		this.socket.setSoTimeout(millis);
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int next = this.in.read();
		while (next != '\n') {
			if (next == -1) {
				throw new EOFException("End of stream within a line");
			}
			if (next != '\r') {
				line.write(next);
			}
			next = this.in.read();
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Close with a reset rather than a FIN.
	 * @throws IOException if closing failed
	 */
	public void reset() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A response as read.
	 *
	 * @param status the status code
	 * @param headers the headers by lower-case name (the last value of each)
	 * @param body the body as UTF-8, empty for a head only
	 */
	public record Response(int status, Map<String, String> headers, String body) {

	}

}
