package io.github.cancellablesoap.testsupport;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on {@code 127.0.0.1} and a random port whose responses a test
 * writes byte by byte, for peers that break the rules on purpose: a compressed body that
 * inflates to gigabytes, a header line of a hundred megabytes, ten thousand headers. A
 * {@link Script} gets each complete request and the connection's output stream; it may
 * stream as much as it likes, since nothing is buffered beyond a small write buffer.
 * <p>
 * One daemon thread accepts, one daemon thread serves each connection. A script that
 * returns normally leaves the connection open for the next request; one that throws
 * (typically because the client closed the socket in the middle of the response) ends the
 * connection.
 * <p>
 * Thread-safe: every method may be called from any thread. {@link #close()} closes the
 * listening socket and every connection and waits, for a bounded time, for the server
 * threads to end.
 *
 * @author Cancellable SOAP
 */
public final class HostileHttpServer implements AutoCloseable {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final ServerSocket serverSocket;

	private final Thread acceptThread;

	private final Object lock = new Object();

	private final List<Socket> sockets = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger brokenResponses = new AtomicInteger();

	private volatile Script script;

	private boolean closed;

	private HostileHttpServer(Script script) throws IOException {
		this.script = Objects.requireNonNull(script, "script");
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.acceptThread = new Thread(this::acceptLoop, "hostile-http-" + port() + "-accept");
		this.acceptThread.setDaemon(true);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and a free port.
	 * @param script how to answer requests until {@link #setScript(Script)} says
	 * otherwise
	 * @return the running server
	 */
	public static HostileHttpServer start(Script script) {
		try {
			HostileHttpServer server = new HostileHttpServer(script);
			server.acceptThread.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A script that answers every request with the same complete response.
	 * @param status the status code
	 * @param contentType the content type
	 * @param body the body, sent as UTF-8 with a {@code Content-Length}
	 * @return the script
	 */
	public static Script respond(int status, String contentType, String body) {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		byte[] head = ("HTTP/1.1 " + status + " Status\r\nContent-Type: " + contentType + "\r\nContent-Length: "
				+ content.length + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		return (request, out) -> {
			out.write(head);
			out.write(content);
		};
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * A URI of this server.
	 * @param path the path, starting with a slash
	 * @return {@code http://127.0.0.1:<port><path>}
	 */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

	/**
	 * Change how requests read from now on are answered.
	 * @param script the new script
	 */
	public void setScript(Script script) {
		this.script = Objects.requireNonNull(script, "script");
	}

	/**
	 * How many complete requests the server has read.
	 * @return the number of requests
	 */
	public int requestCount() {
		return this.requests.get();
	}

	/**
	 * How many responses ended with the script throwing, typically because the client
	 * closed the connection before the script had written everything.
	 * @return the number of responses cut short
	 */
	public int brokenResponseCount() {
		return this.brokenResponses.get();
	}

	@Override
	public void close() {
		List<Socket> toClose;
		List<Thread> toJoin;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			toClose = List.copyOf(this.sockets);
			toJoin = new ArrayList<>(this.threads);
		}
		closeQuietly(this.serverSocket);
		toClose.forEach(HostileHttpServer::closeQuietly);
		toJoin.add(this.acceptThread);
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		List<String> stuck = new ArrayList<>();
		for (Thread thread : toJoin) {
			try {
				thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				stuck.add(thread.getName());
			}
		}
		if (!stuck.isEmpty()) {
			throw new IllegalStateException("Server threads did not end within " + CLOSE_TIMEOUT + ": " + stuck);
		}
	}

	private void acceptLoop() {
		while (true) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
				socket.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				return;
			}
			synchronized (this.lock) {
				if (this.closed) {
					closeQuietly(socket);
					return;
				}
				Thread thread = new Thread(() -> serve(socket), "hostile-http-" + port() + "-" + this.threads.size());
				thread.setDaemon(true);
				this.sockets.add(socket);
				this.threads.add(thread);
				thread.start();
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			HttpInput input = new HttpInput(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
			while (true) {
				HttpInput.RequestHead head = input.readHead();
				if (head == null) {
					return;
				}
				RecordedRequest request = input.readBody(head);
				this.requests.incrementAndGet();
				try {
					this.script.respond(request, out);
					out.flush();
				}
				catch (IOException ex) {
					this.brokenResponses.incrementAndGet();
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The client went away or sent something unreadable: end this connection.
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Closing anyway.
		}
	}

	/**
	 * Writes the raw response to one request.
	 */
	@FunctionalInterface
	public interface Script {

		/**
		 * Write the response: status line, headers and body, exactly as they go on the
		 * wire.
		 * @param request the request read
		 * @param out the connection's (buffered) output stream; flushed after this
		 * returns
		 * @throws IOException when writing fails, which ends the connection
		 */
		void respond(RecordedRequest request, OutputStream out) throws IOException;

	}

}
