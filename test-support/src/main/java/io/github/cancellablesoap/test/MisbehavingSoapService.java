package io.github.cancellablesoap.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A SOAP service that misbehaves on purpose, for tests of SOAP clients: per request it
 * answers, faults, delays, hangs, stalls, dribbles, closes or resets as scripted, and it
 * records every request and, per connection, whether and when the client closed it, so a
 * test can assert that a call was really aborted (its socket closed, seen from the
 * server).
 * <p>
 * Two implementations share this interface: {@link LocalMisbehavingSoapService}, in the
 * test's JVM ({@link #start()}), and {@link RemoteMisbehavingSoapService}, a client of
 * the same service running in another process or a container
 * ({@link MisbehavingSoapServiceMain}).
 * <p>
 * What a request gets: the first {@link #enqueue queued} behaviour whose matcher matches
 * it (used once, then removed), else the {@link #setDefaultBehaviour default} (an
 * {@link SoapBehaviour#echo() echo} until changed).
 * <p>
 * Implementations are thread-safe: every method may be called from any thread. The
 * {@code await} methods block for at most their timeout and throw an
 * {@link AssertionError} that says what the service saw when what they wait for does not
 * happen in time.
 *
 * @author Cancellable SOAP
 */
public interface MisbehavingSoapService extends AutoCloseable {

	/**
	 * Start an in-process service on {@code 127.0.0.1} and a free port.
	 * @return the running service
	 */
	static LocalMisbehavingSoapService start() {
		return LocalMisbehavingSoapService.builder().start();
	}

	/**
	 * The host clients use to reach the service.
	 * @return a host name or address
	 */
	String host();

	/**
	 * The SOAP port.
	 * @return the port
	 */
	int port();

	/**
	 * An address of the service: every path is served alike.
	 * @param path the path, with or without a leading slash
	 * @return {@code http://<host>:<port>/<path>}
	 */
	default URI uri(String path) {
		return URI.create("http://" + host() + ":" + port() + (path.startsWith("/") ? "" : "/") + path);
	}

	/**
	 * Queue behaviours for the next requests, one each, in order.
	 * @param behaviours the behaviours
	 */
	void enqueue(SoapBehaviour... behaviours);

	/**
	 * Queue a behaviour for the next request that matches.
	 * @param matcher which request it is for
	 * @param behaviour what that request gets
	 */
	void enqueue(RequestMatcher matcher, SoapBehaviour behaviour);

	/**
	 * What requests get when no queued behaviour matches.
	 * @param behaviour the behaviour
	 */
	void setDefaultBehaviour(SoapBehaviour behaviour);

	/**
	 * Stop or resume accepting connections. While not accepting, the listening socket
	 * stays open and nobody accepts on it: a client's connect succeeds (the kernel
	 * completes the handshake, up to its backlog) and its request is sent into the
	 * kernel's buffers, then it waits for an answer that never comes; only its response
	 * or call timeout ends the wait, never its connect timeout (until the backlog is
	 * full). A client that gives up meanwhile is not recorded (nobody has its
	 * connection); resuming accepts what is queued.
	 * @param accepting whether to accept
	 */
	void setAccepting(boolean accepting);

	/**
	 * Every request recorded so far, in order.
	 * @return a snapshot
	 */
	List<SoapRequest> requests();

	/**
	 * Wait until the service has read the {@code index}-th request.
	 * @param index the zero-based index
	 * @param timeout how long to wait at most
	 * @return the request
	 * @throws AssertionError if it did not come in time
	 */
	SoapRequest awaitRequest(int index, Duration timeout);

	/**
	 * Every connection accepted so far, in order, as the server sees it now (those that
	 * ended before a {@link #reset()} excepted).
	 * @return a snapshot
	 */
	List<SoapConnection> connections();

	/**
	 * Wait until the service has accepted the {@code index}-th connection.
	 * @param index the zero-based index in accept order since the service started
	 * @param timeout how long to wait at most
	 * @return the connection as the server sees it now
	 * @throws AssertionError if it was not accepted in time
	 */
	SoapConnection awaitConnection(int index, Duration timeout);

	/**
	 * Wait until the client has closed (or reset) a connection, seen from the server
	 * side: the proof that a client aborted its call.
	 * @param index the connection's index
	 * @param timeout how long to wait at most
	 * @return the connection, closed by the client, with the time
	 * @throws AssertionError if the client did not close it in time (the message says
	 * whether it is still open or the service closed it)
	 */
	SoapConnection awaitClosedByClient(int index, Duration timeout);

	/**
	 * Wait until the client has closed (or reset) the connection a request came on.
	 * @param request the request
	 * @param timeout how long to wait at most
	 * @return the connection, closed by the client
	 * @throws AssertionError if the client did not close it in time
	 */
	default SoapConnection awaitClosedByClient(SoapRequest request, Duration timeout) {
		return awaitClosedByClient(request.connection(), timeout);
	}

	/**
	 * Wait until no accepted connection is open any more.
	 * @param timeout how long to wait at most
	 * @throws AssertionError listing the connections still open after the timeout
	 */
	void awaitNoOpenConnection(Duration timeout);

	/**
	 * Back to the state of a fresh service for the next test: queued behaviours dropped,
	 * the default back to echo, accepting, the request record cleared (the next request
	 * is {@code #0} again) and the connections that have ended forgotten. Connections
	 * still open stay, as they are, with their indexes: a client's keep-alive pool may
	 * send the next test's requests on them, and closing them under it would fail that
	 * test's first call. Connection indexes count from the service's start.
	 */
	void reset();

	/**
	 * Stop using the service: an in-process service closes its sockets and threads; a
	 * remote client lets the remote service run.
	 */
	@Override
	void close();

}
