package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.apache.hc.core5.http.ClassicHttpRequest;

/**
 * Serves one {@link ServerConnection} on its daemon thread: reads each request, applies
 * the server's current {@link Behaviour}, and reports what it observed (requests, the
 * peer's close, the end) to the connection.
 * <p>
 * Runs on one thread only; it shares state with the test threads only through the
 * connection's thread-safe methods.
 */
final class ConnectionLoop implements Runnable {

	private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

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
			HttpInput input = new HttpInput(this.socket);
			boolean more = true;
			while (more) {
				more = serveNext(input);
			}
		}
		catch (IOException ex) {
			this.connection.peerClosed();
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
	 * Read one request and apply the server's current behaviour.
	 * @return whether to read another request on this connection
	 */
	private boolean serveNext(HttpInput input) throws IOException, InterruptedException {
		ClassicHttpRequest head = input.readHead();
		if (head == null) {
			this.connection.peerClosed();
			return false;
		}
		if (HttpInput.expectsContinue(head)) {
			this.connection.send((out) -> out.write(CONTINUE), false);
		}
		RecordedRequest request = input.readBody(head);
		Behaviour behaviour = this.server.behaviour();
		this.connection.recordRequest(request);
		switch (behaviour.kind()) {
			case RESPOND:
			case SCRIPT:
				this.connection.send((out) -> behaviour.writeResponse(request, out), true);
				if (request.wantsClose()) {
					this.socket.shutdownOutput();
					awaitPeerClose(input);
					return false;
				}
				return true;
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

	private boolean holdUntilReleased(HttpInput input, byte[] response) throws IOException, InterruptedException {
		if (!this.held.hold(response)) {
			// Released before the request came: send at once.
			this.connection.send((out) -> out.write(response), true);
			return true;
		}
		// Block reading: end of stream or a reset means the client gave up. Bytes mean
		// the next request (the response was released) or a pipelined one.
		if (!input.awaitData()) {
			this.connection.peerClosed();
			return false;
		}
		return this.held.awaitWritten();
	}

	private void awaitPeerClose(HttpInput input) throws IOException {
		input.drainUntilEndOfStream();
		this.connection.peerClosed();
	}

}
