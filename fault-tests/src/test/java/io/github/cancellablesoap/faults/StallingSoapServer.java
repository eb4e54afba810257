package io.github.cancellablesoap.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A SOAP service whose answers never end, run in a container by {@link StalledBodyIT}: it
 * reads a request, answers {@code 200} with a large {@code Content-Length}, writes the
 * start of the envelope, then dribbles one byte every 100 ms for ever. It prints a line
 * when a connection is accepted, and one when it sees that connection close (a write that
 * fails, or the end of the request stream), which the test reads from the container's log
 * as the server's side of "the call was really aborted".
 * <p>
 * A main class with no dependencies but the JDK, so that its image is this module's test
 * classes on the smallest runtime. Thread-safe: one thread per connection.
 */
public final class StallingSoapServer {

	private static final PrintStream LOG = System.out;

	private static final AtomicInteger connections = new AtomicInteger();

	private StallingSoapServer() {
	}

	public static void main(String[] args) throws IOException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 8080;
		try (ServerSocket server = new ServerSocket(port)) {
			LOG.println("stalling server listening on " + port);
			while (true) {
				Socket socket = server.accept();
				int number = connections.incrementAndGet();
				Thread thread = new Thread(() -> serve(socket, number), "connection-" + number);
				thread.setDaemon(true);
				thread.start();
			}
		}
	}

	private static void serve(Socket socket, int number) {
		LOG.println("connection " + number + " accepted");
		long written = 0;
		try (socket) {
			socket.setTcpNoDelay(true);
			InputStream in = socket.getInputStream();
			readRequest(in);
			OutputStream out = socket.getOutputStream();
			byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 10000000\r\n\r\n"
					+ "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
					+ "<r xmlns=\"urn:stalling\">")
				.getBytes(StandardCharsets.US_ASCII);
			out.write(head);
			out.flush();
			written += head.length;
			while (true) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
				out.write('x');
				out.flush();
				written++;
			}
		}
		catch (IOException ex) {
			LOG.println(
					"connection " + number + " closed by the client after " + written + " bytes: " + ex.getMessage());
		}
	}

	/** Read the request head and its body (Content-Length or chunked). */
	private static void readRequest(InputStream in) throws IOException {
		String head = readUntil(in, "\r\n\r\n");
		int length = 0;
		boolean chunked = false;
		for (String line : head.split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
			}
			chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
		}
		if (chunked) {
			readUntil(in, "0\r\n\r\n");
		}
		else {
			in.readNBytes(length);
		}
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		StringBuilder text = new StringBuilder();
		while (text.length() < end.length() || !text.substring(text.length() - end.length()).equals(end)) {
			int b = in.read();
			if (b == -1) {
				throw new IOException("the request ended early");
			}
			text.append((char) b);
		}
		return text.toString();
	}

}
