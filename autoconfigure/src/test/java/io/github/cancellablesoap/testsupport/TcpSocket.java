package io.github.cancellablesoap.testsupport;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One line of {@code /proc/net/tcp} or {@code /proc/net/tcp6}: a TCP socket of the
 * network namespace, as {@link TcpSockets} reads it. Sockets created by Java are usually
 * IPv6 sockets, listed in {@code tcp6} with IPv4-mapped addresses; those addresses are
 * returned as {@link java.net.Inet4Address}.
 * <p>
 * Immutable and thread-safe.
 *
 * @param localAddress the local address
 * @param localPort the local port
 * @param remoteAddress the remote address (the wildcard address for a listener)
 * @param remotePort the remote port ({@code 0} for a listener)
 * @param state the TCP state
 * @param transmitQueue bytes sent but not acknowledged
 * @param receiveQueue bytes received but not read; for a {@link State#LISTEN} socket, the
 * number of connections in its accept queue
 * @param inode the socket inode, {@code 0} for a socket that belongs to no process
 * (closed and lingering, in {@code TIME_WAIT}, or still waiting in an accept queue)
 * @author Cancellable SOAP
 */
public record TcpSocket(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort, State state,
		long transmitQueue, long receiveQueue, long inode) {

	/**
	 * The TCP states, with the codes the kernel uses in {@code /proc/net/tcp}.
	 */
	public enum State {

		/** Connected. */
		ESTABLISHED(0x01),

		/** Connecting: SYN sent, no SYN-ACK yet. */
		SYN_SENT(0x02),

		/** Server side of a connection being set up. */
		SYN_RECV(0x03),

		/** Closed locally, FIN not acknowledged yet. */
		FIN_WAIT1(0x04),

		/** Closed locally, waiting for the peer's FIN. */
		FIN_WAIT2(0x05),

		/** Closed on both sides, lingering; never owned by a process. */
		TIME_WAIT(0x06),

		/** Closed. */
		CLOSE(0x07),

		/** Closed by the peer, not yet locally. */
		CLOSE_WAIT(0x08),

		/** Closed by the peer, then locally; waiting for the last ACK. */
		LAST_ACK(0x09),

		/** Listening. */
		LISTEN(0x0A),

		/** Both sides closed at once. */
		CLOSING(0x0B),

		/** A connection request (listed by some kernels). */
		NEW_SYN_RECV(0x0C);

		private final int code;

		State(int code) {
			this.code = code;
		}

		/**
		 * The state with a kernel code.
		 * @param code the code in the {@code st} column
		 * @return the state, or empty for a code this enum does not know
		 */
		public static Optional<State> ofCode(int code) {
			for (State state : values()) {
				if (state.code == code) {
					return Optional.of(state);
				}
			}
			return Optional.empty();
		}

	}

}
