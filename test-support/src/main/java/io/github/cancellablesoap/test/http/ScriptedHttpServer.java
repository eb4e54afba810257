package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A raw HTTP/1.1 server on {@code 127.0.0.1} and a random port, for tests of an HTTP
 * <em>client</em>: a {@link Behaviour} puts the server in an exact state (answer, hang
 * before the headers, stall within the body, hold the answer until released, close or
 * reset without answering, or write a hostile response byte by byte with a
 * {@link Script}), and each accepted {@link ServerConnection} reports from the server
 * side what happened on it, in particular whether and when the client closed the socket.
 * <p>
 * Built on {@link ServerSocket} with an accept loop on a daemon thread and one daemon
 * thread per connection (named {@code scripted-http-<port>-...}). It reads HTTP/1.1
 * requests with a {@code Content-Length} or a chunked body, answers
 * {@code Expect: 100-continue}, and keeps connections alive. It is not a general purpose
 * server: no TLS, no HTTP/2, no pipelining guarantees.
 * <p>
 * Thread-safe: every method may be called from any thread. {@link #close()} closes the
 * listening socket and every connection (which is not recorded as a close by the peer)
 * and waits, for a bounded time, for the server threads to end.
 *
 * @author Cancellable SOAP
 */
public final class ScriptedHttpServer implements AutoCloseable {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final ServerSocket serverSocket;

	private final Thread acceptThread;

	/** Guards {@link #connections} and {@link #closed}; waited on by awaitConnection. */
	private final Object lock = new Object();

	private final List<ServerConnection> connections = new ArrayList<>();

	private boolean closed;

	private volatile Behaviour behaviour;

	private ScriptedHttpServer(Behaviour behaviour) throws IOException {
		this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.acceptThread = new Thread(this::acceptLoop, "scripted-http-" + port() + "-accept");
		this.acceptThread.setDaemon(true);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and a free port.
	 * @param defaultBehaviour what to do with requests until
	 * {@link #setBehaviour(Behaviour)} says otherwise
	 * @return the running server
	 */
	public static ScriptedHttpServer start(Behaviour defaultBehaviour) {
		try {
			ScriptedHttpServer server = new ScriptedHttpServer(defaultBehaviour);
			server.acceptThread.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
	 * @param path the path, with or without a leading slash
	 * @return {@code http://127.0.0.1:<port>/<path>}
	 */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + (path.startsWith("/") ? "" : "/") + path);
	}

	/**
	 * Change what the server does with requests: applies to every request that is read
	 * completely from now on, on new and on kept-alive connections.
	 * @param behaviour the new behaviour
	 */
	public void setBehaviour(Behaviour behaviour) {
		this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
	}

	/**
	 * Answer requests from now on with raw bytes:
	 * {@code setBehaviour(Behaviour.script(script))}.
	 * @param script writes each response as it goes on the wire
	 * @see Behaviour#script(Script)
	 */
	public void setScript(Script script) {
		setBehaviour(Behaviour.script(script));
	}

	/**
	 * The behaviour applied to the next request.
	 * @return the current behaviour
	 */
	public Behaviour behaviour() {
		return this.behaviour;
	}

	/**
	 * Every connection accepted so far, in the order accepted.
	 * @return a snapshot
	 */
	public List<ServerConnection> connections() {
		synchronized (this.lock) {
			return List.copyOf(this.connections);
		}
	}

	/**
	 * Wait until the server has accepted the {@code index}-th connection.
	 * @param index the zero-based index in accept order
	 * @param timeout how long to wait at most
	 * @return the connection
	 * @throws AssertionError if it was not accepted in time
	 */
	public ServerConnection awaitConnection(int index, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.connections.size() <= index) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || this.closed) {
					throw new AssertionError("Connection #" + index + " was not accepted within " + timeout + " by "
							+ this + " (accepted: " + this.connections.size() + ")");
				}
				try {
					this.lock.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted while waiting for connection #" + index, ex);
				}
			}
			return this.connections.get(index);
		}
	}

	/**
	 * How many accepted connections are still open on the server side.
	 * @return the number of open connections
	 */
	public int openConnectionCount() {
		return (int) connections().stream().filter(ServerConnection::isOpen).count();
	}

	/**
	 * How many complete requests the server has read, over all connections.
	 * @return the number of requests
	 */
	public int requestCount() {
		return connections().stream().mapToInt(ServerConnection::requestCount).sum();
	}

	/**
	 * {@link ServerConnection#release() Release} every connection accepted so far.
	 */
	public void releaseAll() {
		connections().forEach(ServerConnection::release);
	}

	/**
	 * Close the listening socket and every connection, then wait (at most five seconds)
	 * for the server threads to end. Idempotent.
	 * @throws IllegalStateException if a server thread did not end in time
	 */
	@Override
	public void close() {
		List<ServerConnection> toClose;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			toClose = List.copyOf(this.connections);
			this.lock.notifyAll();
		}
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		toClose.forEach(ServerConnection::closeByServer);
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		List<Thread> threads = new ArrayList<>();
		threads.add(this.acceptThread);
		toClose.forEach((connection) -> threads.add(connection.thread()));
		List<String> stuck = new ArrayList<>();
		for (Thread thread : threads) {
			if (!join(thread, deadline)) {
				stuck.add(thread.getName());
			}
		}
		if (!stuck.isEmpty()) {
			throw new IllegalStateException("Server threads did not end within " + CLOSE_TIMEOUT + ": " + stuck);
		}
	}

	private static boolean join(Thread thread, long deadline) {
		long remaining = deadline - System.nanoTime();
		try {
			thread.join(Math.max(1, remaining / 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

	private void acceptLoop() {
		while (true) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
				socket.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				// Closed by close(), or the listening socket failed: stop accepting.
				return;
			}
			synchronized (this.lock) {
				if (this.closed) {
					try {
						socket.close();
					}
					catch (IOException ex) {
						// Closing anyway.
					}
					return;
				}
				ServerConnection connection = new ServerConnection(this, this.connections.size(), socket);
				this.connections.add(connection);
				this.lock.notifyAll();
				connection.start();
			}
		}
	}

	@Override
	public String toString() {
		return "ScriptedHttpServer(127.0.0.1:" + port() + ")";
	}

	/**
	 * Writes the raw response to one request, for {@link Behaviour#script(Script)}.
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
