package io.github.cancellablesoap.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server that reads every request and never answers, run in its own JVM by
 * {@link ScaleBenchmark} (so that ten thousand connections fit in two processes' file
 * limits): one selector thread accepts, reads and discards, and notes when each
 * connection is closed by its client, with {@link System#nanoTime()} (a system-wide
 * monotonic clock on Linux, comparable between the two processes).
 * <p>
 * It prints {@code PORT <port>} when it listens, then answers each {@code STATS} line on
 * standard input with
 * {@code STATS <accepted> <with request bytes> <closed> <last close nanos>}; it exits
 * when standard input ends.
 * <p>
 * Thread-safe counters: the selector thread writes them, the command thread reads them.
 */
public final class SilentServer {

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger withRequest = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private final AtomicLong lastClose = new AtomicLong();

	private SilentServer() {
	}

	/**
	 * Run the server until standard input ends.
	 * @param args ignored
	 * @throws IOException when it cannot listen
	 */
	public static void main(String[] args) throws IOException {
		new SilentServer().run();
	}

	private void run() throws IOException {
		PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
				StandardCharsets.UTF_8);
		Selector selector = Selector.open();
		ServerSocketChannel server = ServerSocketChannel.open();
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16384);
		server.configureBlocking(false);
		server.register(selector, SelectionKey.OP_ACCEPT);
		Thread loop = new Thread(() -> select(selector), "silent-server");
		loop.setDaemon(true);
		loop.start();
		out.println("PORT " + ((InetSocketAddress) server.getLocalAddress()).getPort());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			if ("STATS".equals(line.trim())) {
				out.println("STATS " + this.accepted.get() + " " + this.withRequest.get() + " " + this.closed.get()
						+ " " + this.lastClose.get());
			}
		}
	}

	private void select(Selector selector) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
		try {
			while (true) {
				selector.select();
				Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept(selector, (ServerSocketChannel) key.channel());
					}
					else if (key.isReadable()) {
						read(key, buffer);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private void accept(Selector selector, ServerSocketChannel server) throws IOException {
		for (SocketChannel channel = server.accept(); channel != null; channel = server.accept()) {
			channel.configureBlocking(false);
			channel.register(selector, SelectionKey.OP_READ, new boolean[1]);
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
			this.withRequest.incrementAndGet();
		}
		if (read < 0) {
			this.lastClose.set(System.nanoTime());
			this.closed.incrementAndGet();
			key.cancel();
			try {
				channel.close();
			}
			catch (IOException ex) {
				// closing a closed connection
			}
		}
	}

}
