package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A raw HTTP/1.1 server on {@code 127.0.0.1} (or a given address) and a random (or given)
 * port, for tests of an HTTP <em>client</em>: a {@link Behaviour} puts the server in an
 * exact state (answer, delay, hang before the headers, stall or dribble within the body,
 * hold the answer until released, close or reset without answering, or write a hostile
 * response byte by byte with a {@link Script}), and each accepted
 * {@link ServerConnection} reports from the server side what happened on it, in
 * particular whether and when the client closed the socket. The server can also
 * {@link #setAccepting(boolean) stop accepting}, leaving new connections in the kernel's
 * backlog.
 * <p>
 * Built on a {@link ServerSocketChannel} with an accept loop on a daemon thread and one
 * daemon thread per connection (named {@code scripted-http-<port>-...}). It reads
 * HTTP/1.1 requests with a {@code Content-Length} or a chunked body, within bounds (see
 * {@link Builder#maxRequestBodyBytes(int)}; a request over them is answered 413, 431 or
 * 400 with the reason and the connection closed), answers {@code Expect: 100-continue},
 * and keeps connections alive. It is not a general purpose server: no TLS, no HTTP/2, no
 * pipelining guarantees.
 * <p>
 * Thread-safe: every method may be called from any thread. {@link #close()} closes the
 * listening socket and every connection (which is not recorded as a close by the peer)
 * and waits, for a bounded time, for the server threads to end.
 * <p>
 * Its length (about 700 lines) is its public face, the server, its {@link Builder} and
 * {@link BehaviourChooser}, documented in one place; about half of it is javadoc. Serving
 * a connection is in {@link ConnectionLoop}, observing one in {@link ServerConnection}.
 *
 * @author Cancellable SOAP
 */
public final class ScriptedHttpServer implements AutoCloseable {

	/** The default bound of connections open at once. */
	public static final int DEFAULT_MAX_OPEN_CONNECTIONS = 1000;

	/** The default bound of a request body: 16 MiB. */
	public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final InetAddress LOOPBACK = loopback();

	private final ServerSocketChannel serverChannel;

	private final Selector selector;

	private final int port;

	private final String host;

	private final int maxRequestBodyBytes;

	private final int maxRequestsKeptPerConnection;

	private final Thread acceptThread;

	/**
	 * Guards {@link #connections}, {@link #closed} and {@link #accepting}; waited on by
	 * awaitConnection and by the accept loop while not accepting.
	 */
	private final Object lock = new Object();

	private final List<ServerConnection> connections = new ArrayList<>();

	/** Connections dropped by {@link #forgetEndedConnections()}, joined on close. */
	private final List<ServerConnection> forgotten = new ArrayList<>();

	/** How many connections were accepted since the start: the next one's index. */
	private int accepted;

	private boolean closed;

	private boolean accepting = true;

	private volatile BehaviourChooser chooser;

	private final BiConsumer<ServerConnection, Throwable> failureListener;

	private final int maxOpenConnections;

	/** Connections accepted and not ended. Guarded by the lock. */
	private int open;

	/** Connections closed at once because {@link #maxOpenConnections} were open. */
	private int refused;

	private ScriptedHttpServer(Builder builder) throws IOException {
		this.chooser = Objects.requireNonNull(builder.chooser, "behaviour");
		this.failureListener = builder.failureListener;
		this.maxOpenConnections = builder.maxOpenConnections;
		this.maxRequestBodyBytes = builder.maxRequestBodyBytes;
		this.maxRequestsKeptPerConnection = builder.maxRequestsKeptPerConnection;
		this.serverChannel = ServerSocketChannel.open();
		try {
			this.serverChannel.bind(new InetSocketAddress(builder.bindAddress, builder.port), builder.backlog);
			this.serverChannel.configureBlocking(false);
			this.selector = Selector.open();
			this.serverChannel.register(this.selector, SelectionKey.OP_ACCEPT);
		}
		catch (IOException ex) {
			this.serverChannel.close();
			throw ex;
		}
		this.port = ((InetSocketAddress) this.serverChannel.getLocalAddress()).getPort();
		this.host = builder.bindAddress.isAnyLocalAddress() ? "127.0.0.1" : builder.bindAddress.getHostAddress();
		this.acceptThread = new Thread(this::acceptLoop, "scripted-http-" + this.port + "-accept");
		this.acceptThread.setDaemon(true);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and a free port.
	 * @param defaultBehaviour what to do with requests until
	 * {@link #setBehaviour(Behaviour)} says otherwise
	 * @return the running server
	 */
	public static ScriptedHttpServer start(Behaviour defaultBehaviour) {
		return builder().behaviour(defaultBehaviour).start();
	}

	/**
	 * A builder for a server with a given address, port, bounds or behaviour chooser.
	 * @return a new builder, for {@code 127.0.0.1} and a free port
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The host clients use to reach the server: its bind address, or {@code 127.0.0.1}
	 * when it listens on every address.
	 * @return the host address
	 */
	public String host() {
		return this.host;
	}

	/**
	 * A URI of this server.
	 * @param path the path, with or without a leading slash
	 * @return {@code http://127.0.0.1:<port>/<path>}
	 */
	public URI uri(String path) {
		return URI.create("http://" + this.host + ":" + this.port + (path.startsWith("/") ? "" : "/") + path);
	}

	/**
	 * Change what the server does with requests: applies to every request that is read
	 * completely from now on, on new and on kept-alive connections.
	 * @param behaviour the new behaviour
	 */
	public void setBehaviour(Behaviour behaviour) {
		Objects.requireNonNull(behaviour, "behaviour");
		this.chooser = new FixedBehaviour(behaviour);
	}

	/**
	 * Let a chooser decide, per request, what the server does: applies to every request
	 * that is read completely from now on.
	 * @param chooser called on a connection thread once per request
	 */
	public void setBehaviourChooser(BehaviourChooser chooser) {
		this.chooser = Objects.requireNonNull(chooser, "chooser");
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
	 * The behaviour set by {@link #setBehaviour(Behaviour)} or the builder.
	 * @return the current behaviour
	 * @throws IllegalStateException when a chooser decides instead
	 */
	public Behaviour behaviour() {
		if (this.chooser instanceof FixedBehaviour fixed) {
			return fixed.behaviour();
		}
		throw new IllegalStateException("A chooser decides the behaviour of " + this + ": " + this.chooser);
	}

	/**
	 * The behaviour for a request read on a connection; called by the connection thread.
	 */
	Behaviour behaviourFor(RecordedRequest request, ServerConnection connection) {
		return Objects.requireNonNull(this.chooser.choose(request, connection), "the chooser chose no behaviour");
	}

	/**
	 * The bound of a request body, in bytes.
	 * @return the bound
	 */
	public int maxRequestBodyBytes() {
		return this.maxRequestBodyBytes;
	}

	/**
	 * How many of its most recent requests each connection keeps.
	 * @return the bound
	 */
	/**
	 * A connection's thread is done; called once per connection.
	 */
	void connectionEnded() {
		synchronized (this.lock) {
			this.open--;
		}
	}

	/**
	 * How many connections the server closed at once, unserved and unrecorded, because
	 * its bound of open connections was reached.
	 * @return the count since the server started
	 */
	public int refusedConnectionCount() {
		synchronized (this.lock) {
			return this.refused;
		}
	}

	/**
	 * Tell the failure listener about a connection's internal failure; called once, on
	 * the connection's thread.
	 */
	void reportFailure(ServerConnection connection, Throwable failure) {
		try {
			this.failureListener.accept(connection, failure);
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	int maxRequestsKeptPerConnection() {
		return this.maxRequestsKeptPerConnection;
	}

	/**
	 * Stop or resume accepting connections. While not accepting, the listening socket
	 * stays open: the kernel completes the TCP handshake of new connections (up to its
	 * backlog) and buffers what their clients send, but nobody reads it, so a client's
	 * connect succeeds and its request is written, and then it waits for an answer that
	 * never comes. Once the backlog is full, new connects hang (their SYNs are dropped)
	 * until the client's connect timeout. Resuming accepts the queued connections
	 * (including those their clients closed meanwhile, recorded then as closed by the
	 * peer). After this method returns with {@code false}, no further connection is
	 * accepted.
	 * @param accepting whether to accept
	 */
	public void setAccepting(boolean accepting) {
		synchronized (this.lock) {
			this.accepting = accepting;
			this.lock.notifyAll();
		}
		this.selector.wakeup();
	}

	/**
	 * Whether the server accepts connections.
	 * @return {@code false} after {@code setAccepting(false)}
	 */
	public boolean isAccepting() {
		synchronized (this.lock) {
			return this.accepting;
		}
	}

	/**
	 * Every connection accepted so far, in the order accepted, except those dropped by
	 * {@link #forgetEndedConnections()}.
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
	 * @throws IllegalStateException if it was dropped by
	 * {@link #forgetEndedConnections()}
	 */
	public ServerConnection awaitConnection(int index, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.accepted <= index) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || this.closed) {
					throw new AssertionError("Connection #" + index + " was not accepted within " + timeout + " by "
							+ this + " (accepted: " + this.accepted + ")");
				}
				try {
					this.lock.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted while waiting for connection #" + index, ex);
				}
			}
			for (ServerConnection connection : this.connections) {
				if (connection.index() == index) {
					return connection;
				}
			}
			throw new IllegalStateException("Connection #" + index + " ended and was forgotten by " + this);
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
	 * Drop the connections that have ended from {@link #connections()}, so that a
	 * long-lived server shared by many tests keeps only what is still open. Indexes are
	 * not reused: the next connection accepted keeps counting from the start.
	 */
	public void forgetEndedConnections() {
		synchronized (this.lock) {
			for (ServerConnection connection : this.connections) {
				if (!connection.isOpen()) {
					this.forgotten.add(connection);
				}
			}
			this.connections.removeIf((connection) -> !connection.isOpen());
			this.forgotten.removeIf((connection) -> !connection.thread().isAlive());
		}
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
			toClose = new ArrayList<>(this.connections);
			toClose.addAll(this.forgotten);
			this.lock.notifyAll();
		}
		this.selector.wakeup();
		try {
			this.serverChannel.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		toClose.forEach(ServerConnection::closeByServer);
		// A delayed or dribbling connection may be parked after its client sent more
		// bytes.
		toClose.forEach((connection) -> connection.thread().interrupt());
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

	private static InetAddress loopback() {
		try {
			return InetAddress.getByAddress("127.0.0.1", new byte[] { 127, 0, 0, 1 });
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void acceptLoop() {
		try {
			while (awaitAccepting()) {
				this.selector.select();
				this.selector.selectedKeys().clear();
				acceptQueued();
			}
		}
		catch (IOException ex) {
			// Closed by close(), or the listening socket failed: stop accepting.
		}
		finally {
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
	}

	/**
	 * Wait while the server is not accepting.
	 * @return {@code false} once the server is closed
	 */
	private boolean awaitAccepting() {
		synchronized (this.lock) {
			while (!this.accepting && !this.closed) {
				try {
					this.lock.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return !this.closed;
		}
	}

	/**
	 * Accept every connection waiting, unless accepting stopped meanwhile: under the
	 * lock, so that none is accepted after {@link #setAccepting(boolean)} returned.
	 */
	private void acceptQueued() throws IOException {
		synchronized (this.lock) {
			while (this.accepting && !this.closed) {
				SocketChannel channel = this.serverChannel.accept();
				if (channel == null) {
					return;
				}
				if (this.open >= this.maxOpenConnections) {
					// Over the bound: closed at once, counted, not recorded.
					this.refused++;
					channel.close();
					continue;
				}
				this.open++;
				channel.configureBlocking(true);
				Socket socket = channel.socket();
				socket.setTcpNoDelay(true);
				ServerConnection connection = new ServerConnection(this, this.accepted++, socket);
				this.connections.add(connection);
				this.lock.notifyAll();
				connection.start();
			}
		}
	}

	@Override
	public String toString() {
		return "ScriptedHttpServer(" + this.host + ":" + this.port + ")";
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

	/**
	 * Chooses what the server does with each request, for
	 * {@link ScriptedHttpServer#setBehaviourChooser(BehaviourChooser)}.
	 */
	@FunctionalInterface
	public interface BehaviourChooser {

		/**
		 * Choose the behaviour for a request just read.
		 * @param request the request, already recorded on its connection
		 * @param connection the connection it came on
		 * @return the behaviour, never {@code null}
		 */
		Behaviour choose(RecordedRequest request, ServerConnection connection);

	}

	/**
	 * The same behaviour for every request.
	 */
	private record FixedBehaviour(Behaviour behaviour) implements BehaviourChooser {

		@Override
		public Behaviour choose(RecordedRequest request, ServerConnection connection) {
			return this.behaviour;
		}

	}

	/**
	 * Configures and starts a {@link ScriptedHttpServer}. Not thread-safe.
	 */
	public static final class Builder {

		private InetAddress bindAddress = LOOPBACK;

		private int port;

		private int backlog = 50;

		private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;

		private int maxRequestsKeptPerConnection = 10_000;

		private BehaviourChooser chooser;

		private BiConsumer<ServerConnection, Throwable> failureListener = (connection, failure) -> {
		};

		private int maxOpenConnections = DEFAULT_MAX_OPEN_CONNECTIONS;

		private Builder() {
		}

		/**
		 * The address to listen on, {@code 127.0.0.1} by default; {@code 0.0.0.0} in a
		 * container.
		 * @param bindAddress the address
		 * @return this builder
		 */
		public Builder bindAddress(InetAddress bindAddress) {
			this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
			return this;
		}

		/**
		 * The port to listen on, zero (a free port) by default.
		 * @param port the port, 0 to 65535
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("A port is 0 to 65535, got " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * The listening socket's backlog: how many connections the kernel queues while
		 * the server is {@link ScriptedHttpServer#setAccepting(boolean) not accepting}
		 * (50 by default).
		 * @param backlog the backlog, at least one
		 * @return this builder
		 */
		public Builder backlog(int backlog) {
			if (backlog < 1) {
				throw new IllegalArgumentException("The backlog must be at least 1, got " + backlog);
			}
			this.backlog = backlog;
			return this;
		}

		/**
		 * The bound of a request body, after de-chunking: a request that declares or
		 * sends more is answered {@code 413} and its connection closed.
		 * @param maxRequestBodyBytes the bound, at least zero; 16 MiB by default
		 * @return this builder
		 */
		public Builder maxRequestBodyBytes(int maxRequestBodyBytes) {
			if (maxRequestBodyBytes < 0) {
				throw new IllegalArgumentException(
						"The request body bound must not be negative, got " + maxRequestBodyBytes);
			}
			this.maxRequestBodyBytes = maxRequestBodyBytes;
			return this;
		}

		/**
		 * How many of its most recent requests each {@link ServerConnection} keeps for
		 * {@link ServerConnection#requests()}: 10,000 by default, zero to keep none (they
		 * are still counted). Bounds the memory a client's long keep-alive connection can
		 * take.
		 * @param maxRequestsKeptPerConnection the bound, zero or more
		 * @return this builder
		 */
		public Builder maxRequestsKeptPerConnection(int maxRequestsKeptPerConnection) {
			if (maxRequestsKeptPerConnection < 0) {
				throw new IllegalArgumentException(
						"The number of requests kept must not be negative, got " + maxRequestsKeptPerConnection);
			}
			this.maxRequestsKeptPerConnection = maxRequestsKeptPerConnection;
			return this;
		}

		/**
		 * The behaviour for every request, until changed.
		 * @param behaviour the behaviour
		 * @return this builder
		 */
		public Builder behaviour(Behaviour behaviour) {
			this.chooser = new FixedBehaviour(Objects.requireNonNull(behaviour, "behaviour"));
			return this;
		}

		/**
		 * A chooser that decides the behaviour per request, until changed.
		 * @param chooser the chooser
		 * @return this builder
		 */
		public Builder behaviourChooser(BehaviourChooser chooser) {
			this.chooser = Objects.requireNonNull(chooser, "chooser");
			return this;
		}

		/**
		 * How many connections may be open at once (1,000 by default); a connection
		 * beyond is closed as soon as it is accepted, and counted
		 * ({@link ScriptedHttpServer#refusedConnectionCount()}).
		 * @param maxOpenConnections the bound, at least one
		 * @return this builder
		 */
		public Builder maxOpenConnections(int maxOpenConnections) {
			if (maxOpenConnections < 1) {
				throw new IllegalArgumentException("At least one open connection, got " + maxOpenConnections);
			}
			this.maxOpenConnections = maxOpenConnections;
			return this;
		}

		/**
		 * What to tell when a connection fails inside the server (an unexpected exception
		 * on its thread, see {@link ServerConnection#internalFailure()}); nothing by
		 * default. Called on the connection's thread; it must not block.
		 * @param failureListener told the connection and the exception
		 * @return this builder
		 */
		public Builder failureListener(BiConsumer<ServerConnection, Throwable> failureListener) {
			this.failureListener = Objects.requireNonNull(failureListener, "failureListener");
			return this;
		}

		/**
		 * Start the server.
		 * @return the running server
		 * @throws IllegalStateException if no behaviour was given
		 * @throws UncheckedIOException if the address or port cannot be bound
		 */
		public ScriptedHttpServer start() {
			if (this.chooser == null) {
				throw new IllegalStateException("Give the server a behaviour or a behaviour chooser");
			}
			try {
				ScriptedHttpServer server = new ScriptedHttpServer(this);
				server.acceptThread.start();
				return server;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(
						"Cannot listen on " + this.bindAddress.getHostAddress() + ":" + this.port, ex);
			}
		}

	}

}
