package io.github.cancellablesoap.test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;

/**
 * The in-process {@link MisbehavingSoapService}: a {@link ScriptedHttpServer} in the
 * test's JVM whose behaviour per request comes from the service's script, on
 * {@code 127.0.0.1} and a free port unless the {@link Builder} says otherwise.
 * <p>
 * Bounds: a request body of at most {@link Builder#maxRequestBodyBytes(int) 1 MiB} by
 * default (more is answered {@code 413} and the connection closed), request heads as
 * {@link ScriptedHttpServer} bounds them, and at most
 * {@link Builder#maxRecordedRequests(int) 1,000} requests recorded (later ones are served
 * and counted, not kept), at most {@link Builder#maxRecordedBodyBytes(long) 32 MiB} of
 * their bodies (a body beyond is recorded cut, {@link SoapRequest#bodyTruncated()}), at
 * most {@link Builder#maxOpenConnections(int) 1,000} connections open (one beyond is
 * closed at once and counted), and at most 10,000 behaviours in the script.
 * <p>
 * Thread-safe: every method may be called from any thread; behaviours are chosen on the
 * server's connection threads. Its length (about 450 lines) is the service interface's
 * methods and its builder.
 *
 * @author Cancellable SOAP
 */
public final class LocalMisbehavingSoapService implements MisbehavingSoapService {

	/** The most behaviours the script holds at once. */
	static final int MAX_QUEUED = 10_000;

	private final ScriptedHttpServer server;

	private final int maxRecordedRequests;

	private final long maxRecordedBodyBytes;

	/** Body bytes in the record, guarded by the lock. */
	private long recordedBodyBytes;

	/** Guards the script and the records; waited on by awaitRequest. */
	private final Object lock = new Object();

	private final Deque<Scripted> queue = new ArrayDeque<>();

	private final List<SoapRequest> requests = new ArrayList<>();

	private SoapBehaviour defaultBehaviour = SoapBehaviour.echo();

	private int requestCount;

	private LocalMisbehavingSoapService(Builder builder) {
		this.maxRecordedRequests = builder.maxRecordedRequests;
		this.maxRecordedBodyBytes = builder.maxRecordedBodyBytes;
		BiConsumer<Integer, Throwable> listener = builder.failureListener;
		this.server = builder.server.behaviourChooser(this::choose)
			.failureListener((connection, failure) -> listener.accept(connection.index(), failure))
			.start();
	}

	/**
	 * A builder for a service with a given address, port or bounds.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String host() {
		return this.server.host();
	}

	@Override
	public int port() {
		return this.server.port();
	}

	@Override
	public URI uri(String path) {
		return this.server.uri(path);
	}

	@Override
	public void enqueue(SoapBehaviour... behaviours) {
		for (SoapBehaviour behaviour : behaviours) {
			enqueue(RequestMatcher.any(), behaviour);
		}
	}

	@Override
	public void enqueue(RequestMatcher matcher, SoapBehaviour behaviour) {
		enqueueAll(List.of(matcher), List.of(behaviour));
	}

	/**
	 * Queue behaviours, all or none: none when the script has no room for all of them.
	 */
	void enqueueAll(List<RequestMatcher> matchers, List<SoapBehaviour> behaviours) {
		List<Scripted> scripted = new ArrayList<>();
		for (int i = 0; i < behaviours.size(); i++) {
			scripted.add(new Scripted(Objects.requireNonNull(matchers.get(i), "matcher"),
					Objects.requireNonNull(behaviours.get(i), "behaviour")));
		}
		synchronized (this.lock) {
			if (this.queue.size() + scripted.size() > MAX_QUEUED) {
				throw new IllegalStateException("The script holds at most " + MAX_QUEUED + " behaviours not yet used ("
						+ this.queue.size() + " queued, " + scripted.size() + " more asked): more is a runaway test");
			}
			this.queue.addAll(scripted);
		}
	}

	@Override
	public void setDefaultBehaviour(SoapBehaviour behaviour) {
		Objects.requireNonNull(behaviour, "behaviour");
		synchronized (this.lock) {
			this.defaultBehaviour = behaviour;
		}
	}

	@Override
	public void setAccepting(boolean accepting) {
		this.server.setAccepting(accepting);
	}

	@Override
	public List<SoapRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	/**
	 * A page of the record, for a control port that must not build every body at once.
	 * @param from the first request index
	 * @param maxBodyBytes stop before a request whose body would take the page's bodies
	 * beyond this (a page has at least one request, when there is one)
	 * @param limit the most requests in the page
	 * @return the requests from {@code from}, in order
	 */
	List<SoapRequest> requests(int from, long maxBodyBytes, int limit) {
		synchronized (this.lock) {
			List<SoapRequest> page = new ArrayList<>();
			long bytes = 0;
			for (int i = from; i < this.requests.size() && page.size() < limit; i++) {
				SoapRequest request = this.requests.get(i);
				bytes += request.bodyLength();
				if (!page.isEmpty() && bytes > maxBodyBytes) {
					break;
				}
				page.add(request);
			}
			return page;
		}
	}

	@Override
	public SoapRequest awaitRequest(int index, Duration timeout) {
		if (index >= this.maxRecordedRequests) {
			throw new IllegalArgumentException(
					"This service records at most " + this.maxRecordedRequests + " requests, not #" + index);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.requests.size() <= index) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new AssertionError("Request #" + index + " did not come within " + timeout + " to " + this
							+ " (requests read: " + this.requestCount + ")");
				}
				waitOnLock(remaining);
			}
			return this.requests.get(index);
		}
	}

	@Override
	public List<SoapConnection> connections() {
		return this.server.connections().stream().map(LocalMisbehavingSoapService::snapshot).toList();
	}

	@Override
	public SoapConnection awaitConnection(int index, Duration timeout) {
		return snapshot(this.server.awaitConnection(index, timeout));
	}

	@Override
	public SoapConnection awaitClosedByClient(int index, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		ServerConnection connection = this.server.awaitConnection(index, timeout);
		connection.awaitClosedByPeer(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		SoapConnection seen = snapshot(connection);
		if (!seen.closedByClient()) {
			throw new AssertionError("The client did not close connection #" + index + " within " + timeout
					+ "; the service sees " + seen);
		}
		return seen;
	}

	@Override
	public void awaitNoOpenConnection(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (ServerConnection connection : this.server.connections()) {
			connection.awaitEnded(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
		List<SoapConnection> open = connections().stream()
			.filter((connection) -> connection.state() == SoapConnection.State.OPEN)
			.toList();
		if (!open.isEmpty()) {
			throw new AssertionError(open.size() + " connection(s) still open after " + timeout + ": " + open);
		}
	}

	@Override
	public void reset() {
		synchronized (this.lock) {
			this.queue.clear();
			this.defaultBehaviour = SoapBehaviour.echo();
			this.requests.clear();
			this.recordedBodyBytes = 0;
			this.requestCount = 0;
			this.server.forgetEndedConnections();
		}
		this.server.setAccepting(true);
	}

	@Override
	public void close() {
		this.server.close();
	}

	/**
	 * How many connections the service closed at once, unserved and unrecorded, because
	 * {@link Builder#maxOpenConnections(int) its bound} of open connections was reached.
	 * @return the count since the service started
	 */
	public int refusedConnectionCount() {
		return this.server.refusedConnectionCount();
	}

	/**
	 * Record a request and choose its behaviour; called on a connection thread.
	 */
	private Behaviour choose(RecordedRequest http, ServerConnection connection) {
		SoapBehaviour behaviour;
		synchronized (this.lock) {
			byte[] body = http.bodyBytes();
			SoapRequest request = new SoapRequest(this.requestCount++, connection.index(), http.method(),
					pathOf(http.target()), http.headers(), body, http.receivedAt(), false);
			if (this.requests.size() < this.maxRecordedRequests) {
				long room = this.maxRecordedBodyBytes - this.recordedBodyBytes;
				SoapRequest recorded = (body.length <= room) ? request : request.truncated((int) room);
				this.recordedBodyBytes += recorded.bodyLength();
				this.requests.add(recorded);
			}
			this.lock.notifyAll();
			behaviour = take(request);
		}
		return behaviour.toHttp(http);
	}

	private SoapBehaviour take(SoapRequest request) {
		for (Iterator<Scripted> scripted = this.queue.iterator(); scripted.hasNext();) {
			Scripted next = scripted.next();
			if (next.matcher().matches(request)) {
				scripted.remove();
				return next.behaviour();
			}
		}
		return this.defaultBehaviour;
	}

	private static String pathOf(String target) {
		String path = target;
		if (!path.startsWith("/")) {
			// The absolute form, as sent to a forward proxy.
			path = URI.create(target).getRawPath();
		}
		int query = path.indexOf('?');
		return (query >= 0) ? path.substring(0, query) : path;
	}

	static SoapConnection snapshot(ServerConnection connection) {
		boolean ended = !connection.isOpen();
		SoapConnection.State state;
		Throwable failure = ended ? connection.internalFailure().orElse(null) : null;
		if (failure != null) {
			state = SoapConnection.State.SERVICE_FAILED;
		}
		else if (connection.isClosedByPeer()) {
			state = connection.closedByPeerError().isPresent() ? SoapConnection.State.CLIENT_RESET
					: SoapConnection.State.CLIENT_CLOSED;
		}
		else {
			state = ended ? SoapConnection.State.SERVICE_CLOSED : SoapConnection.State.OPEN;
		}
		return new SoapConnection(connection.index(), connection.clientAddress(), connection.clientPort(),
				connection.acceptedAt(), connection.requestCount(), state,
				connection.closedByPeerAt().or(connection::endedAt).orElse(null),
				connection.closedByPeerError().orElse(null), (failure != null) ? failure.toString() : null);
	}

	private void waitOnLock(long nanos) {
		try {
			this.lock.wait(Math.max(1, nanos / 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting on " + this, ex);
		}
	}

	@Override
	public String toString() {
		return "MisbehavingSoapService(" + host() + ":" + port() + ")";
	}

	/**
	 * A queued behaviour with the requests it is for.
	 */
	private record Scripted(RequestMatcher matcher, SoapBehaviour behaviour) {

	}

	/**
	 * Configures and starts a {@link LocalMisbehavingSoapService}. Not thread-safe.
	 */
	public static final class Builder {

		/** The default bound of a request body: 1 MiB. */
		public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;

		// The service keeps its own bounded record of requests; connections keep none.
		private final ScriptedHttpServer.Builder server = ScriptedHttpServer.builder()
			.maxRequestBodyBytes(DEFAULT_MAX_REQUEST_BODY_BYTES)
			.maxRequestsKeptPerConnection(0);

		/** The default bound of the body bytes kept in the record: 32 MiB. */
		public static final long DEFAULT_MAX_RECORDED_BODY_BYTES = 32L * 1024 * 1024;

		private int maxRecordedRequests = 1000;

		private long maxRecordedBodyBytes = DEFAULT_MAX_RECORDED_BODY_BYTES;

		private BiConsumer<Integer, Throwable> failureListener = (connection, failure) -> {
		};

		private Builder() {
		}

		/**
		 * How many connections may be open at once; 1,000 by default. A connection beyond
		 * is closed as soon as it is accepted, and counted
		 * ({@link LocalMisbehavingSoapService#refusedConnectionCount()}).
		 * @param maxOpenConnections the bound, at least one
		 * @return this builder
		 */
		public Builder maxOpenConnections(int maxOpenConnections) {
			this.server.maxOpenConnections(maxOpenConnections);
			return this;
		}

		/**
		 * How many body bytes the record keeps in all; 32 MiB by default. A request whose
		 * body does not fit in what is left is still served and recorded, with the body
		 * cut to what fits ({@link SoapRequest#bodyTruncated()}); a reset frees the room.
		 * @param maxRecordedBodyBytes the bound, zero or more
		 * @return this builder
		 */
		public Builder maxRecordedBodyBytes(long maxRecordedBodyBytes) {
			if (maxRecordedBodyBytes < 0) {
				throw new IllegalArgumentException(
						"The recorded body bytes must not be negative, got " + maxRecordedBodyBytes);
			}
			this.maxRecordedBodyBytes = maxRecordedBodyBytes;
			return this;
		}

		/**
		 * What to tell when the service fails inside (an exception that ended a
		 * connection, which then shows {@link SoapConnection.State#SERVICE_FAILED});
		 * nothing by default. Called on the connection's thread; it must not block.
		 * @param failureListener told the connection index and the exception
		 * @return this builder
		 */
		public Builder failureListener(BiConsumer<Integer, Throwable> failureListener) {
			this.failureListener = Objects.requireNonNull(failureListener, "failureListener");
			return this;
		}

		/**
		 * The address to listen on: {@code 127.0.0.1} by default, {@code 0.0.0.0} in a
		 * container.
		 * @param bindAddress the address
		 * @return this builder
		 */
		public Builder bindAddress(InetAddress bindAddress) {
			this.server.bindAddress(bindAddress);
			return this;
		}

		/**
		 * The port to listen on; zero (a free port) by default.
		 * @param port the port, 0 to 65535
		 * @return this builder
		 */
		public Builder port(int port) {
			this.server.port(port);
			return this;
		}

		/**
		 * The bound of a request body; 1 MiB by default.
		 * @param maxRequestBodyBytes the bound, zero or more
		 * @return this builder
		 */
		public Builder maxRequestBodyBytes(int maxRequestBodyBytes) {
			this.server.maxRequestBodyBytes(maxRequestBodyBytes);
			return this;
		}

		/**
		 * How many requests are kept in the record; 1,000 by default.
		 * @param maxRecordedRequests the bound, at least one
		 * @return this builder
		 */
		public Builder maxRecordedRequests(int maxRecordedRequests) {
			if (maxRecordedRequests < 1) {
				throw new IllegalArgumentException("At least one request must be recorded, got " + maxRecordedRequests);
			}
			this.maxRecordedRequests = maxRecordedRequests;
			return this;
		}

		/**
		 * Start the service.
		 * @return the running service
		 * @throws java.io.UncheckedIOException if the address or port cannot be bound
		 */
		public LocalMisbehavingSoapService start() {
			return new LocalMisbehavingSoapService(this);
		}

	}

}
