package io.github.cancellablesoap.testsupport;

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
 * A minimal HTTP/1.1 client over a plain {@link Socket}, for the self-tests: it writes
 * requests byte by byte as the test says and reads responses with a bounded read timeout
 * so that no test can hang.
 */
final class RawHttpClient implements AutoCloseable {

	static final int READ_TIMEOUT_MILLIS = 5000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttpClient(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	static RawHttpClient connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
		return new RawHttpClient(socket);
	}

	Socket socket() {
		return this.socket;
	}

	void post(String path, String body, String... headerLines) throws IOException {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (String headerLine : headerLines) {
			head.append(headerLine).append("\r\n");
		}
		head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
		send(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		send(content);
	}

	void send(String raw) throws IOException {
		send(raw.getBytes(StandardCharsets.UTF_8));
	}

	private void send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	Response readResponse() throws IOException {
		Response head = readHead();
		String length = head.headers().get("content-length");
		byte[] body = readExactly((length != null) ? Integer.parseInt(length) : 0);
		return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
	}

	Response readHead() throws IOException {
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

	byte[] readExactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Got " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	/**
	 * Read one byte with the socket's read timeout.
	 * @return the byte, or -1 at end of stream
	 */
	int read() throws IOException {
		return this.in.read();
	}

	void setReadTimeout(int millis) throws IOException {
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
	 */
	void reset() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	record Response(int status, Map<String, String> headers, String body) {

	}

}
