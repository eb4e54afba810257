package io.github.cancellablesoap.test;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One TCP connection a {@link MisbehavingSoapService} accepted, as the server side saw it
 * at one moment: who connected, how many requests came on it, and whether and when it
 * closed, and who closed it. A snapshot; ask the service again for news.
 * <p>
 * Immutable and thread-safe.
 *
 * @param index the connection's place in the order accepted, from zero since the service
 * started (a reset does not renumber connections)
 * @param clientAddress the client's address as the service saw it
 * @param clientPort the client's port (the local port of the client's socket, unless a
 * proxy or NAT is in between)
 * @param acceptedAt when the service accepted it
 * @param requests how many complete requests were read on it
 * @param state whether it is open, and who closed it
 * @param closedAt when it closed, {@code null} while open
 * @param closeError for {@link State#CLIENT_RESET}, the error the server's read or write
 * met ({@code Connection reset}, {@code Broken pipe}); else {@code null}
 * @param failure for {@link State#SERVICE_FAILED}, the exception inside the service that
 * ended the connection (its class and message); else {@code null}
 * @author Cancellable SOAP
 */
public record SoapConnection(int index, String clientAddress, int clientPort, Instant acceptedAt, int requests,
		State state, @Nullable Instant closedAt, @Nullable String closeError, @Nullable String failure) {

	private static final Set<String> FIELDS = Set.of("index", "client", "port", "accepted", "requests", "state",
			"closed", "error", "failure");

	/**
	 * Whether the client closed the connection (orderly or with a reset), as seen by the
	 * server: the proof that a client really aborted a call.
	 * @return whether the client closed it
	 */
	public boolean closedByClient() {
		return this.state == State.CLIENT_CLOSED || this.state == State.CLIENT_RESET;
	}

	String toLine() {
		return WireLine.builder(null)
			.add("index", this.index)
			.add("client", this.clientAddress)
			.add("port", this.clientPort)
			.add("accepted", this.acceptedAt)
			.add("requests", this.requests)
			.add("state", this.state)
			.add("closed", this.closedAt)
			.add("error", this.closeError)
			.add("failure", this.failure)
			.toString();
	}

	static SoapConnection parse(String text) {
		WireLine line = WireLine.parse(text, FIELDS);
		String closed = line.get("closed");
		return new SoapConnection(line.getInt("index", -1), line.require("client"), line.getInt("port", -1),
				Instant.parse(line.require("accepted")), line.getInt("requests", 0),
				State.valueOf(line.require("state")), (closed != null) ? Instant.parse(closed) : null,
				line.get("error"), line.get("failure"));
	}

	/**
	 * Whether a connection is open, and who closed it.
	 */
	public enum State {

		/** Open on the server side. */
		OPEN,

		/** The client closed it in order: the server read end of stream. */
		CLIENT_CLOSED,

		/**
		 * The client closed it abruptly: the server's read or write failed (a reset, a
		 * broken pipe).
		 */
		CLIENT_RESET,

		/**
		 * The service closed it: a close or reset behaviour, a rejected request, a reset
		 * of the service, or its close.
		 */
		SERVICE_CLOSED,

		/**
		 * The service failed: an exception inside it ended the connection, and the client
		 * got whatever was written until then (often nothing). Not a scripted behaviour;
		 * {@link SoapConnection#failure()} says what went wrong.
		 */
		SERVICE_FAILED

	}

}
