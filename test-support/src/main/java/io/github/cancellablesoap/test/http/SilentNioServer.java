package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server that reads every request and never answers, on one selector thread (named
 * {@code silent-nio-<port>}), for tests and benchmarks that hold thousands of calls
 * pending at once, which a thread per connection ({@link ScriptedHttpServer}) would not
 * bear. It counts, from the server side, the connections accepted, those whose request
 * bytes arrived, and those the client closed, with the time of the last close. What
 * arrives is read and discarded, so nothing a client sends accumulates.
 * <p>
 * Thread-safe: the selector thread writes the counters, any thread reads them;
 * {@link #close()} closes every connection (not counted as closed by the client) and
 * waits for the thread to end.
 *
 * @author Cancellable SOAP
 */
public final class SilentNioServer implements AutoCloseable {

	private final Selector selector;

	private final ServerSocketChannel server;

	private final Thread loop;

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger withRequest = new AtomicInteger();

	private final AtomicInteger closedByPeer = new AtomicInteger();

	private final AtomicLong lastCloseNanos = new AtomicLong();

	/** Notified when request bytes first arrive on a connection. */
	private final Object requestArrived = new Object();

	private volatile boolean closing;

	private SilentNioServer() throws IOException {
		this.selector = Selector.open();
		this.server = ServerSocketChannel.open();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16384);
		this.server.configureBlocking(false);
		this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		this.loop = new Thread(this::select, "silent-nio-" + port());
		this.loop.setDaemon(true);
	}

	/**
	 * Start a server on the loopback address and a free port.
	 * @return the running server
	 */
	public static SilentNioServer start() {
		try {
			SilentNioServer started = new SilentNioServer();
			started.loop.start();
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		try {
			return ((InetSocketAddress) this.server.getLocalAddress()).getPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An address on this server.
	 * @param path the path, starting with {@code /}
	 * @return {@code http://127.0.0.1:<port><path>}
	 */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

	/**
	 * Connections accepted so far.
	 * @return the count
	 */
	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Connections on which request bytes arrived.
	 * @return the count
	 */
	public int withRequest() {
		return this.withRequest.get();
	}

	/**
	 * Connections the client closed.
	 * @return the count
	 */
	public int closedByPeer() {
		return this.closedByPeer.get();
	}

	/**
	 * When the server last saw a client close its connection.
	 * @return a {@link System#nanoTime()} reading (a system-wide monotonic clock on
	 * Linux, comparable between processes), or 0 before any close
	 */
	public long lastCloseNanos() {
		return this.lastCloseNanos.get();
	}

	/**
	 * Wait until request bytes arrived on some number of connections.
	 * @param count how many
	 * @param timeout how long at most
	 * @throws AssertionError when fewer arrived within the timeout, saying how many did
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void awaitRequests(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.requestArrived) {
			for (long left = timeout.toNanos(); this.withRequest.get() < count; left = deadline - System.nanoTime()) {
				if (left <= 0) {
					throw new AssertionError("Request bytes arrived on " + this.withRequest.get()
							+ " connection(s), not " + count + ", within " + timeout);
				}
				TimeUnit.NANOSECONDS.timedWait(this.requestArrived, left);
			}
		}
	}

	private void select() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
		try {
			while (!this.closing) {
				this.selector.select();
				Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept();
					}
					else if (key.isReadable()) {
						read(key, buffer);
					}
				}
			}
		}
		catch (IOException | ClosedSelectorException ex) {
			// closed
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				closeQuietly(key.channel());
			}
			closeQuietly(this.selector);
		}
	}

	private void accept() throws IOException {
		for (SocketChannel channel = this.server.accept(); channel != null; channel = this.server.accept()) {
			channel.configureBlocking(false);
			channel.register(this.selector, SelectionKey.OP_READ, new boolean[1]);
			this.accepted.incrementAndGet();
		}
	}

	private void read(SelectionKey key, ByteBuffer buffer) {
		SocketChannel channel = (SocketChannel) key.channel();
		boolean[] seen = (boolean[]) key.attachment();
		int read;
		try {
			buffer.clear();
			read = channel.read(buffer);
		}
		catch (IOException ex) {
			read = -1;
		}
		if (read > 0 && !seen[0]) {
			seen[0] = true;
			synchronized (this.requestArrived) {
				this.withRequest.incrementAndGet();
				this.requestArrived.notifyAll();
			}
		}
		if (read < 0) {
			this.lastCloseNanos.set(System.nanoTime());
			this.closedByPeer.incrementAndGet();
			key.cancel();
			closeQuietly(channel);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.closing = true;
		this.selector.wakeup();
		this.loop.join(5000);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

}
