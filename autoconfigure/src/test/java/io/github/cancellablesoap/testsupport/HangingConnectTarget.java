package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port to which a TCP connect hangs: the client's SYN is never answered, so
 * {@code connect} blocks until its own timeout (or until the client gives up), with the
 * client socket in {@link TcpSocket.State#SYN_SENT SYN_SENT} meanwhile.
 * <p>
 * How: a {@link ServerSocket} on {@code 127.0.0.1} with a backlog of 1 that never
 * accepts, whose accept queue is filled with plain client sockets ("fillers"). Linux
 * drops a SYN to a listener whose accept queue is full (even with SYN cookies on), and
 * keeps dropping the retransmissions while it stays full. A listener with backlog 1 is
 * full with two queued connections (the kernel allows backlog + 1), so on Linux two
 * fillers are expected. Rather than rely on that number, filling connects probe sockets
 * with a short timeout until one times out and the listener's accept queue (read with
 * {@link TcpSockets}) is longer than the backlog, or two probes in a row time out; at
 * most {@value #MAX_PROBES} probes. Opening a target therefore takes about one probe
 * timeout ({@value #PROBE_TIMEOUT_MILLIS} ms).
 * <p>
 * Thread-safe: {@link #port()}, {@link #address()}, {@link #uri(String)} and
 * {@link #fillerCount()} may be called from any thread; {@link #close()} is idempotent.
 *
 * @author Cancellable SOAP
 */
public final class HangingConnectTarget implements AutoCloseable {

	private static final int BACKLOG = 1;

	private static final int MAX_PROBES = 64;

	private static final int PROBE_TIMEOUT_MILLIS = 250;

	private final ServerSocket listener;

	private final InetSocketAddress address;

	private final List<Socket> fillers = new ArrayList<>();

	private HangingConnectTarget() throws IOException {
		this.listener = new ServerSocket(0, BACKLOG, InetAddress.getByName("127.0.0.1"));
		this.address = new InetSocketAddress(this.listener.getInetAddress(), this.listener.getLocalPort());
	}

	/**
	 * Open a target and fill its accept queue.
	 * @return a target to which connects hang
	 * @throws IllegalStateException if the kernel kept accepting connections
	 */
	public static HangingConnectTarget open() {
		HangingConnectTarget target;
		try {
			target = new HangingConnectTarget();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			target.fill();
			return target;
		}
		catch (IOException ex) {
			target.close();
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			target.close();
			throw ex;
		}
	}

	private void fill() throws IOException {
		boolean previousTimedOut = false;
		for (int probe = 0; probe < MAX_PROBES; probe++) {
			Socket socket = new Socket();
			try {
				socket.connect(this.address, PROBE_TIMEOUT_MILLIS);
				this.fillers.add(socket);
				previousTimedOut = false;
			}
			catch (SocketTimeoutException ex) {
				socket.close();
				if (previousTimedOut || acceptQueueIsFull()) {
					return;
				}
				// Possibly a slow connect rather than a dropped SYN: probe again.
				previousTimedOut = true;
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
		}
		throw new IllegalStateException("The accept queue of " + this.address + " did not fill up after " + MAX_PROBES
				+ " connections; connects to it would not hang");
	}

	private boolean acceptQueueIsFull() {
		return TcpSockets.isSupported() && acceptQueueLength() > BACKLOG;
	}

	/**
	 * The port to which connects hang.
	 * @return the port
	 */
	public int port() {
		return this.address.getPort();
	}

	/**
	 * The address to which connects hang.
	 * @return {@code 127.0.0.1} and {@link #port()}
	 */
	public InetSocketAddress address() {
		return this.address;
	}

	/**
	 * A URI to which HTTP requests hang in connect.
	 * @param path the path, with or without a leading slash
	 * @return {@code http://127.0.0.1:<port>/<path>}
	 */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + (path.startsWith("/") ? "" : "/") + path);
	}

	/**
	 * How many client sockets it took to fill the accept queue (two on Linux).
	 * @return the number of connected fillers
	 */
	public int fillerCount() {
		synchronized (this.fillers) {
			return this.fillers.size();
		}
	}

	/**
	 * The length of the listener's accept queue as the kernel reports it.
	 * @return the number of queued connections, or {@code -1} if {@link TcpSockets} is
	 * not supported here
	 */
	public long acceptQueueLength() {
		if (!TcpSockets.isSupported()) {
			return -1;
		}
		return TcpSockets.ownListener(port()).map(TcpSocket::receiveQueue).orElse(-1L);
	}

	/**
	 * Close the fillers and the listener; connects to the port are refused from then on.
	 */
	@Override
	public void close() {
		synchronized (this.fillers) {
			for (Socket filler : this.fillers) {
				closeQuietly(filler);
			}
			this.fillers.clear();
		}
		closeQuietly(this.listener);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Closing anyway.
		}
	}

	@Override
	public String toString() {
		return "HangingConnectTarget(" + this.address + ")";
	}

}
