package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A peer on {@code 127.0.0.1} and a random port that accepts TCP connections and never
 * answers a byte: a TLS client that connects to it sends its ClientHello and then waits
 * in the handshake until it gives up. Each accepted {@link Connection} reports, from the
 * server side, when the client's first bytes (its ClientHello) arrived and when the
 * client closed the socket (end of stream or a reset).
 * <p>
 * One daemon thread accepts, one daemon thread per connection reads and discards.
 * <p>
 * Thread-safe: every method may be called from any thread; {@link #close()} is idempotent
 * and closes the listener and every connection.
 *
 * @author Cancellable SOAP
 */
public final class StalledTlsPeer implements AutoCloseable {

	private final ServerSocket listener;

	private final List<Connection> connections = new ArrayList<>();

	private StalledTlsPeer() throws IOException {
		this.listener = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(this::accept, "stalled-tls-" + this.listener.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a peer.
	 * @return the running peer
	 */
	public static StalledTlsPeer start() {
		try {
			return new StalledTlsPeer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An https address on this peer.
	 * @param path the path
	 * @return the address
	 */
	public URI uri(String path) {
		return URI.create("https://127.0.0.1:" + this.listener.getLocalPort() + path);
	}

	/**
	 * Wait for the connection accepted as number {@code index} (from zero).
	 * @param index the connection's number
	 * @param timeout how long to wait at most
	 * @return the connection
	 * @throws IllegalStateException when it was not accepted in time
	 */
	public Connection awaitConnection(int index, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.connections) {
			while (this.connections.size() <= index) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new IllegalStateException("Connection " + index + " was not accepted within " + timeout);
				}
				TimeUnit.NANOSECONDS.timedWait(this.connections, left);
			}
			return this.connections.get(index);
		}
	}

	/**
	 * How many connections were accepted so far.
	 * @return the count
	 */
	public int connectionCount() {
		synchronized (this.connections) {
			return this.connections.size();
		}
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				Connection connection = new Connection(socket);
				synchronized (this.connections) {
					this.connections.add(connection);
					this.connections.notifyAll();
				}
				Thread reader = new Thread(connection::read, "stalled-tls-connection-" + socket.getPort());
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// Closed.
			}
		}
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		synchronized (this.connections) {
			this.connections.forEach(Connection::close);
		}
	}

	/**
	 * One accepted connection, seen from the server side.
	 */
	public static final class Connection {

		private final Socket socket;

		private final CountDownLatch firstBytes = new CountDownLatch(1);

		private final CountDownLatch closedByPeer = new CountDownLatch(1);

		private volatile boolean closedHere;

		Connection(Socket socket) {
			this.socket = socket;
		}

		private void read() {
			byte[] buffer = new byte[4096];
			try (InputStream in = this.socket.getInputStream()) {
				while (in.read(buffer) >= 0) {
					this.firstBytes.countDown();
				}
			}
			catch (IOException ex) {
				// A reset, or our own close.
			}
			if (!this.closedHere) {
				this.closedByPeer.countDown();
			}
		}

		/**
		 * Wait until the client's first bytes (its ClientHello) arrived.
		 * @param timeout how long to wait at most
		 * @return whether they arrived in time
		 */
		public boolean awaitClientHello(Duration timeout) throws InterruptedException {
			return this.firstBytes.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}

		/**
		 * Wait until the client closed the socket (end of stream or reset).
		 * @param timeout how long to wait at most
		 * @return whether the client closed it in time
		 */
		public boolean awaitClosedByPeer(Duration timeout) throws InterruptedException {
			return this.closedByPeer.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}

		/**
		 * Whether the client's first bytes (its ClientHello) arrived.
		 * @return whether they did
		 */
		public boolean hasClientHello() {
			return this.firstBytes.getCount() == 0;
		}

		/**
		 * Whether the client closed the socket.
		 * @return whether it did
		 */
		public boolean isClosedByPeer() {
			return this.closedByPeer.getCount() == 0;
		}

		void close() {
			this.closedHere = true;
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}

	}

}
