package io.github.cancellablesoap.test.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One TCP connection accepted by a {@link ScriptedHttpServer}, served by its own daemon
 * thread, and what the server observed on it: the requests it read, the responses it
 * sent, and whether and when the client closed the socket.
 * <p>
 * "Closed by peer" means the server thread, blocked reading from the socket, saw end of
 * stream or an I/O error such as "Connection reset" (or failed to write because the
 * client was gone). It is never set when the server itself closed the socket, neither by
 * {@link ScriptedHttpServer#close()} nor by {@link Behaviour#closeImmediately()}.
 * <p>
 * The serving itself is in {@link ConnectionLoop}, a held response in
 * {@link HeldResponse}; this class is the one object through which a test observes a
 * connection, hence its length (about 450 lines, most of them the documentation of those
 * observations).
 * <p>
 * Thread-safe: every public method may be called from any thread. The {@code await}
 * methods block the caller for at most the given timeout.
 *
 * @author Cancellable SOAP
 */
public final class ServerConnection {

	private static final int WRITE_BUFFER = 16 * 1024;

	/** "connection #index to server", for messages. */
	private final String name;

	private final Socket socket;

	private final Thread thread;

	/** Guards the state below; waited on by the await methods. */
	private final Object lock = new Object();

	/** Serializes writes to the socket (the connection thread and release()). */
	private final Object writeLock = new Object();

	/** The most recent requests, at most {@link #maxKept}. */
	private final Deque<RecordedRequest> requests = new ArrayDeque<>();

	private final int maxKept;

	/** Every request read, kept or not. */
	private int requestCount;

	private final HeldResponse held = new HeldResponse();

	private int responseCount;

	private final int index;

	private final Instant acceptedAt = Instant.now();

	private boolean closedByPeer;

	private long closedByPeerNanos;

	private Instant closedByPeerAt;

	private String closedByPeerError;

	private Instant endedAt;

	private volatile boolean closedByServer;

	private boolean ended;

	private Throwable failure;

	private final ScriptedHttpServer server;

	ServerConnection(ScriptedHttpServer server, int index, Socket socket) {
		this.server = server;
		this.index = index;
		this.maxKept = server.maxRequestsKeptPerConnection();
		this.name = "connection #" + index + " to " + server;
		this.socket = socket;
		this.thread = new Thread(new ConnectionLoop(server, this, socket, this.held),
				"scripted-http-" + server.port() + "-connection-" + index);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	Thread thread() {
		return this.thread;
	}

	/**
	 * This connection's index in the server's accept order since it started.
	 * @return the zero-based index
	 */
	public int index() {
		return this.index;
	}

	/**
	 * When the server accepted this connection.
	 * @return the wall-clock instant
	 */
	public Instant acceptedAt() {
		return this.acceptedAt;
	}

	/**
	 * The client's address of this connection.
	 * @return the remote address as seen by the server, for example {@code 127.0.0.1}
	 */
	public String clientAddress() {
		return this.socket.getInetAddress().getHostAddress();
	}

	/**
	 * The client's port of this connection, which is the local port of the client's
	 * socket.
	 * @return the remote port as seen by the server
	 */
	public int clientPort() {
		return this.socket.getPort();
	}

	/**
	 * Wait until the server has read one complete request (head and body) on this
	 * connection.
	 * @param timeout how long to wait at most
	 * @return whether at least one request was read in time
	 */
	public boolean awaitRequest(Duration timeout) {
		return awaitRequests(1, timeout);
	}

	/**
	 * Wait until the server has read a number of complete requests on this connection.
	 * @param count how many requests
	 * @param timeout how long to wait at most
	 * @return whether at least {@code count} requests were read in time
	 */
	public boolean awaitRequests(int count, Duration timeout) {
		return await(() -> this.requestCount >= count, timeout);
	}

	/**
	 * How many complete requests the server has read on this connection.
	 * @return the number of requests
	 */
	public int requestCount() {
		synchronized (this.lock) {
			return this.requestCount;
		}
	}

	/**
	 * The requests read on this connection, in order: every one, or the most recent ones
	 * when there were more than the server
	 * {@link ScriptedHttpServer.Builder#maxRequestsKeptPerConnection(int) keeps}.
	 * @return a snapshot
	 */
	public List<RecordedRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	/**
	 * The last request read on this connection.
	 * @return the request
	 * @throws IllegalStateException if no request was read yet
	 */
	public RecordedRequest lastRequest() {
		synchronized (this.lock) {
			if (this.requests.isEmpty()) {
				throw new IllegalStateException((this.requestCount == 0) ? "No request was read on " + this
						: "The server keeps no request of " + this);
			}
			return this.requests.getLast();
		}
	}

	/**
	 * The body of the last request read on this connection.
	 * @return the body, decoded as UTF-8
	 * @throws IllegalStateException if no request was read yet
	 */
	public String lastRequestBody() {
		return lastRequest().body();
	}

	/**
	 * A header of the last request read on this connection.
	 * @param name the header name, in any case
	 * @return its first value, or {@code null} if the request had no such header
	 * @throws IllegalStateException if no request was read yet
	 */
	public String requestHeader(String name) {
		return lastRequest().header(name);
	}

	/**
	 * How many responses (complete, or partial for {@link Behaviour#stallBody}) the
	 * server has started to write on this connection. A response is counted just before
	 * its first byte is written, so a client that has received it always sees it counted.
	 * @return the number of responses
	 */
	public int responseCount() {
		synchronized (this.lock) {
			return this.responseCount;
		}
	}

	/**
	 * Wait until the server has observed the client closing this connection. Returns
	 * early with {@code false} if the connection ended otherwise (closed by the server).
	 * @param timeout how long to wait at most
	 * @return whether the client closed the connection
	 */
	public boolean awaitClosedByPeer(Duration timeout) {
		await(() -> this.closedByPeer || this.ended, timeout);
		return isClosedByPeer();
	}

	/**
	 * Whether the server has observed the client closing this connection (end of stream,
	 * or a reset).
	 * @return whether the client closed the connection
	 */
	public boolean isClosedByPeer() {
		synchronized (this.lock) {
			return this.closedByPeer;
		}
	}

	/**
	 * When the server observed the client closing the connection.
	 * @return the {@link System#nanoTime()} at which the server's read returned end of
	 * stream or failed
	 * @throws IllegalStateException if the client has not closed the connection
	 */
	public long closedByPeerNanos() {
		synchronized (this.lock) {
			if (!this.closedByPeer) {
				throw new IllegalStateException(this + " was not closed by the client");
			}
			return this.closedByPeerNanos;
		}
	}

	/**
	 * When the server observed the client closing the connection, on the wall clock.
	 * @return the instant, empty while the client has not closed the connection
	 */
	public Optional<Instant> closedByPeerAt() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.closedByPeerAt);
		}
	}

	/**
	 * How the client closed the connection, when it was not an orderly close: the error
	 * the server's read or write met, such as {@code Connection reset}.
	 * @return the error message; empty for an orderly close (end of stream) or while the
	 * client has not closed the connection
	 */
	public Optional<String> closedByPeerError() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.closedByPeerError);
		}
	}

	/**
	 * When the connection ended on the server side.
	 * @return the wall-clock instant, empty while it is open
	 */
	public Optional<Instant> endedAt() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.endedAt);
		}
	}

	/**
	 * Wait until this connection has ended: its socket is closed and its thread is done
	 * (or about to be).
	 * @param timeout how long to wait at most
	 * @return whether it ended in time
	 */
	public boolean awaitEnded(Duration timeout) {
		return await(() -> this.ended, timeout);
	}

	/**
	 * Whether the connection is still served: the server has not closed its socket.
	 * @return whether the connection is open on the server side
	 */
	public boolean isOpen() {
		synchronized (this.lock) {
			return !this.ended;
		}
	}

	/**
	 * What went wrong on the server side, for diagnosing a test: a malformed request or
	 * an unexpected error. Peer closes and server closes are not failures.
	 * @return the failure, if any
	 */
	public Optional<Throwable> failure() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.failure);
		}
	}

	/**
	 * What went wrong inside the server, as opposed to a request it refused (a malformed
	 * or oversized request is answered and is not an internal failure): an exception on
	 * the connection's thread, which ended the connection without the answer its
	 * behaviour meant to give.
	 * @return the failure, if any
	 */
	public Optional<Throwable> internalFailure() {
		return failure().filter((failure) -> !(failure instanceof RejectedRequestException));
	}

	/**
	 * Let one response held by {@link Behaviour#respondWhenReleased} go. If a response is
	 * held, it is written on the calling thread before this method returns. If none is
	 * held yet, a permit is stored so that the next held response is sent at once. Has no
	 * effect on the outcome when the client has gone already.
	 */
	public void release() {
		byte[] response = this.held.take();
		if (response == null) {
			return;
		}
		try {
			send((out) -> out.write(response), true);
		}
		catch (IOException ex) {
			// The client is gone; the connection thread records the close.
		}
		finally {
			this.held.written();
		}
	}

	/**
	 * Close the socket from the server side; not recorded as a close by the peer.
	 */
	void closeByServer() {
		this.closedByServer = true;
		closeSocket();
		this.held.close();
		synchronized (this.lock) {
			this.lock.notifyAll();
		}
	}

	/**
	 * Record a request read completely; called by the connection thread.
	 */
	void recordRequest(RecordedRequest request) {
		synchronized (this.lock) {
			this.requestCount++;
			if (this.maxKept > 0) {
				if (this.requests.size() == this.maxKept) {
					this.requests.removeFirst();
				}
				this.requests.addLast(request);
			}
			this.lock.notifyAll();
		}
	}

	/**
	 * The connection thread is done: close the socket and record the end.
	 * @param failure what went wrong, or {@code null}
	 */
	void end(Throwable failure) {
		closeByServer();
		// Counted down before the end is visible: whoever sees this connection ended can
		// open another within the server's bound.
		this.server.connectionEnded();
		// Reported before the end is visible too: whoever sees the connection failed
		// finds
		// the failure reported.
		if (failure != null && !(failure instanceof RejectedRequestException)) {
			this.server.reportFailure(this, failure);
		}
		synchronized (this.lock) {
			if (failure != null) {
				this.failure = failure;
			}
			this.ended = true;
			this.endedAt = Instant.now();
			this.lock.notifyAll();
		}
	}

	/**
	 * Write to the socket, serialized with other writers (the connection thread and
	 * {@link #release()}).
	 * @param writer writes the bytes
	 * @param response whether this starts a response, counted before its first byte is
	 * written so that a client that has read it always sees it counted
	 */
	void send(ResponseWriter writer, boolean response) throws IOException {
		if (response) {
			synchronized (this.lock) {
				this.responseCount++;
				this.lock.notifyAll();
			}
		}
		synchronized (this.writeLock) {
			OutputStream out = new BufferedOutputStream(this.socket.getOutputStream(), WRITE_BUFFER);
			writer.writeTo(out);
			out.flush();
		}
	}

	/**
	 * Record that the client closed the connection, unless the server closed it first.
	 * @param error what the read or write met, or {@code null} for end of stream
	 */
	void peerClosed(IOException error) {
		long now = System.nanoTime();
		synchronized (this.lock) {
			if (!this.closedByServer && !this.closedByPeer) {
				this.closedByPeer = true;
				this.closedByPeerNanos = now;
				this.closedByPeerAt = Instant.now();
				this.closedByPeerError = (error != null) ? String.valueOf(error.getMessage()) : null;
				this.lock.notifyAll();
			}
		}
	}

	private void closeSocket() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	private boolean await(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (!condition.getAsBoolean()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					this.lock.wait(Math.max(1, remaining / 1_000_000), 0);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return condition.getAsBoolean();
				}
			}
			return true;
		}
	}

	@Override
	public String toString() {
		return this.name + " from port " + clientPort();
	}

	/**
	 * Writes bytes to a connection's output stream.
	 */
	@FunctionalInterface
	interface ResponseWriter {

		void writeTo(OutputStream out) throws IOException;

	}

}
