package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.hc.core5.http.ClassicHttpRequest;

/**
 * Serves one {@link ServerConnection} on its daemon thread: reads each request, applies
 * the {@link Behaviour} the server chooses for it (with its delay, dribble and stall),
 * and reports what it observed (requests, the peer's close, the end) to the connection.
 * <p>
 * Runs on one thread only; it shares state with the test threads only through the
 * connection's thread-safe methods.
 */
final class ConnectionLoop implements Runnable {

	private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

	private static final Duration LINGER = Duration.ofSeconds(1);

	private final ScriptedHttpServer server;

	private final ServerConnection connection;

	private final Socket socket;

	private final HeldResponse held;

	ConnectionLoop(ScriptedHttpServer server, ServerConnection connection, Socket socket, HeldResponse held) {
		this.server = server;
		this.connection = connection;
		this.socket = socket;
		this.held = held;
	}

	@Override
	public void run() {
		Throwable failure = null;
		try {
			HttpInput input = new HttpInput(this.socket, this.server.maxRequestBodyBytes());
			boolean more = true;
			while (more) {
				more = serveNext(input);
			}
		}
		catch (RejectedRequestException ex) {
			failure = ex;
			reject(ex);
		}
		catch (IOException ex) {
			this.connection.peerClosed(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
		}
		finally {
			this.connection.end(failure);
		}
	}

	/**
	 * Read one request and apply the behaviour chosen for it.
	 * @return whether to read another request on this connection
	 */
	private boolean serveNext(HttpInput input) throws IOException, InterruptedException {
		ClassicHttpRequest head = input.readHead();
		if (head == null) {
			this.connection.peerClosed(null);
			return false;
		}
		input.checkDeclaredLength(head);
		if (HttpInput.expectsContinue(head)) {
			this.connection.send((out) -> out.write(CONTINUE), false);
		}
		RecordedRequest request = input.readBody(head);
		this.connection.recordRequest(request);
		Behaviour behaviour = this.server.behaviourFor(request, this.connection);
		if (!pause(input, behaviour.pacing().delay())) {
			return false;
		}
		switch (behaviour.kind()) {
			case RESPOND:
				if (!respond(input, request, behaviour)) {
					return false;
				}
				return keepAlive(input, request);
			case SCRIPT:
				this.connection.send((out) -> behaviour.writeResponse(request, out), true);
				return keepAlive(input, request);
			case SCRIPT_THEN_CLOSE:
				this.connection.send((out) -> behaviour.writeResponse(request, out), true);
				this.connection.closeByServer();
				return false;
			case HANG_BEFORE_HEADERS:
				awaitPeerClose(input);
				return false;
			case STALL_BODY:
				this.connection.send((out) -> behaviour.writeResponse(request, out), true);
				awaitPeerClose(input);
				return false;
			case RESPOND_WHEN_RELEASED:
				return holdUntilReleased(input, behaviour.response(request));
			case CLOSE_IMMEDIATELY:
				this.connection.closeByServer();
				return false;
			case RESET_IMMEDIATELY:
				this.socket.setSoLinger(true, 0);
				this.connection.closeByServer();
				return false;
			default:
				throw new IllegalStateException("Unknown behaviour " + behaviour);
		}
	}

	/**
	 * Send a formed response, dribbled and stalled as its pacing says.
	 * @return whether the response went out whole (a stalled one never does)
	 */
	private boolean respond(HttpInput input, RecordedRequest request, Behaviour behaviour)
			throws IOException, InterruptedException {
		Behaviour.Pacing pacing = behaviour.pacing();
		if (pacing.dribbleBytes() == 0 && pacing.stallAfter() < 0) {
			this.connection.send((out) -> behaviour.writeResponse(request, out), true);
			return true;
		}
		byte[][] headAndBody = behaviour.headAndBody(request);
		byte[] body = headAndBody[1];
		int limit = (pacing.stallAfter() >= 0) ? Math.min(pacing.stallAfter(), body.length) : body.length;
		this.connection.send((out) -> out.write(headAndBody[0]), true);
		int step = (pacing.dribbleBytes() > 0) ? pacing.dribbleBytes() : Math.max(1, limit);
		for (int at = 0; at < limit; at += step) {
			if (pacing.dribbleBytes() > 0 && !pause(input, pacing.dribbleInterval())) {
				return false;
			}
			int from = at;
			int length = Math.min(step, limit - at);
			this.connection.send((out) -> out.write(body, from, length), false);
		}
		if (pacing.stallAfter() >= 0) {
			awaitPeerClose(input);
			return false;
		}
		return true;
	}

	private boolean keepAlive(HttpInput input, RecordedRequest request) throws IOException {
		if (request.wantsClose()) {
			this.socket.shutdownOutput();
			awaitPeerClose(input);
			return false;
		}
		return true;
	}

	/**
	 * Wait, sending nothing, while watching for the client closing.
	 * @return {@code false} when the client closed meanwhile (recorded)
	 */
	private boolean pause(HttpInput input, Duration time) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + time.toNanos();
		long remaining = time.toNanos();
		while (remaining > 0) {
			HttpInput.Arrival arrival = input.watch(Duration.ofNanos(Math.max(remaining, 1_000_000)));
			if (arrival == HttpInput.Arrival.END_OF_STREAM) {
				this.connection.peerClosed(null);
				return false;
			}
			if (arrival == HttpInput.Arrival.DATA) {
				// Pipelined bytes: they stay buffered; wait out the rest unwatched.
				parkUntil(deadline);
				return true;
			}
			remaining = deadline - System.nanoTime();
		}
		return true;
	}

	private static void parkUntil(long deadline) throws InterruptedException {
		long remaining = deadline - System.nanoTime();
		while (remaining > 0) {
			LockSupport.parkNanos(remaining);
			if (Thread.interrupted()) {
				throw new InterruptedException("Server closing");
			}
			remaining = deadline - System.nanoTime();
		}
	}

	private boolean holdUntilReleased(HttpInput input, byte[] response) throws IOException, InterruptedException {
		if (!this.held.hold(response)) {
			// Released before the request came: send at once.
			this.connection.send((out) -> out.write(response), true);
			return true;
		}
		// Block reading: end of stream or a reset means the client gave up. Bytes mean
		// the next request (the response was released) or a pipelined one.
		if (!input.awaitData()) {
			this.connection.peerClosed(null);
			return false;
		}
		return this.held.awaitWritten();
	}

	private void awaitPeerClose(HttpInput input) throws IOException {
		input.drainUntilEndOfStream();
		this.connection.peerClosed(null);
	}

	/**
	 * Answer a refused request with its status and reason, then let the connection end.
	 */
	private void reject(RejectedRequestException rejection) {
		byte[] reason = (rejection.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 " + rejection.status() + " Rejected\r\nContent-Type: text/plain; charset=utf-8\r\n"
				+ "Connection: close\r\nContent-Length: " + reason.length + "\r\n\r\n";
		try {
			this.connection.send((out) -> {
				out.write(head.getBytes(StandardCharsets.ISO_8859_1));
				out.write(reason);
			}, true);
			// A lingering close: what the client still sends is read and dropped for a
			// moment, so that closing does not reset the connection before the client has
			// read the answer.
			this.socket.shutdownOutput();
			this.socket.setSoTimeout((int) LINGER.toMillis());
			long deadline = System.nanoTime() + LINGER.toNanos();
			byte[] sink = new byte[8192];
			while (System.nanoTime() < deadline && this.socket.getInputStream().read(sink) != -1) {
				// Dropped.
			}
		}
		catch (IOException ex) {
			// The client is gone, or the linger ran out; the rejection stays recorded.
		}
	}

}
