package io.github.cancellablesoap.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A raw HTTP endpoint on the loopback interface that reads each request (head and
 * {@code Content-Length} body) and then never answers: its connection thread blocks in
 * {@code read()} until the client closes the socket, and records when it saw the end of
 * the stream (FIN) or a reset. Requests are matched to proxy calls by the
 * {@code Soap-Call-Id} header that the proxy's transport sends. One thread per
 * connection. Thread-safe.
 */
final class SilentLoopbackServer {

	static final String CALL_ID_HEADER = "soap-call-id";

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	private final ServerSocket serverSocket;

	private final Thread acceptor;

	private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger maxOpen = new AtomicInteger();

	private final LongAdder accepted = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder unexpectedBytes = new LongAdder();

	private final LongAdder endOfStream = new LongAdder();

	private final LongAdder resets = new LongAdder();

	private final AtomicInteger connectionCount = new AtomicInteger();

	private volatile boolean stopped;

	SilentLoopbackServer() throws IOException {
		this.serverSocket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::acceptLoop, "bench-silent-acceptor");
		this.acceptor.setDaemon(true);
	}

	void start() {
		this.acceptor.start();
	}

	URI address() {
		return URI.create("http://" + this.serverSocket.getInetAddress().getHostAddress() + ":"
				+ this.serverSocket.getLocalPort() + "/ws");
	}

	/**
	 * What the server saw of the request that carries one call; the server and the
	 * benchmark may ask first, either way they share one record.
	 * @param callId the call id
	 * @return the record
	 */
	Exchange exchange(String callId) {
		return this.exchanges.computeIfAbsent(callId, (id) -> new Exchange());
	}

	/**
	 * Drop the record of a finished call, so that the map does not grow.
	 * @param callId the call id
	 */
	void forget(String callId) {
		this.exchanges.remove(callId);
	}

	int openConnections() {
		return this.open.size();
	}

	int maxOpenConnections() {
		return this.maxOpen.get();
	}

	long accepted() {
		return this.accepted.sum();
	}

	long rejected() {
		return this.rejected.sum();
	}

	long unexpectedBytes() {
		return this.unexpectedBytes.sum();
	}

	long endOfStream() {
		return this.endOfStream.sum();
	}

	long resets() {
		return this.resets.sum();
	}

	void stop() {
		this.stopped = true;
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	private void acceptLoop() {
		while (!this.stopped) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				if (!this.stopped) {
					this.rejected.increment();
				}
				continue;
			}
			this.accepted.increment();
			this.open.add(socket);
			this.maxOpen.accumulateAndGet(this.open.size(), Math::max);
			Thread thread = new Thread(() -> serve(socket), "bench-silent-" + this.connectionCount.incrementAndGet());
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void serve(Socket socket) {
		Exchange exchange = null;
		try {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			String head = readHead(in);
			if (head == null) {
				this.rejected.increment();
			}
			else {
				Map<String, String> headers = headers(head);
				String callId = headers.get(CALL_ID_HEADER);
				String length = headers.get("content-length");
				byte[] body = (length != null) ? in.readNBytes(Integer.parseInt(length.trim())) : new byte[0];
				boolean valid = head.startsWith("POST ") && callId != null && length != null
						&& body.length == Integer.parseInt(length.trim())
						&& new String(body, StandardCharsets.UTF_8).contains("ReleaseRequest");
				if (!valid) {
					this.rejected.increment();
				}
				if (callId != null) {
					exchange = exchange(callId);
					exchange.received.complete(System.nanoTime());
				}
			}
			// Never answer: wait for the client to close the connection.
			while (in.read() != -1) {
				this.unexpectedBytes.increment();
			}
			long closed = System.nanoTime();
			this.endOfStream.increment();
			closed(socket, exchange, closed);
		}
		catch (IOException | RuntimeException ex) {
			long closed = System.nanoTime();
			if (!this.stopped) {
				this.resets.increment();
			}
			closed(socket, exchange, closed);
		}
	}

	private void closed(Socket socket, Exchange exchange, long nanos) {
		closeQuietly(socket);
		this.open.remove(socket);
		if (exchange != null) {
			exchange.closed.complete(nanos);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(512);
		int matched = 0;
		while (head.size() < MAX_HEAD_BYTES) {
			int next = in.read();
			if (next == -1) {
				return null;
			}
			head.write(next);
			matched = (next == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((next == '\r') ? 1 : 0);
			if (matched == 4) {
				return head.toString(StandardCharsets.ISO_8859_1);
			}
		}
		return null;
	}

	private static Map<String, String> headers(String head) {
		Map<String, String> headers = new ConcurrentHashMap<>();
		String[] lines = head.split("\r\n");
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		return headers;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

	/**
	 * When the server saw the request of one call, and when it saw its connection close
	 * ({@link System#nanoTime()} values).
	 */
	static final class Exchange {

		final CompletableFuture<Long> received = new CompletableFuture<>();

		final CompletableFuture<Long> closed = new CompletableFuture<>();

	}

}
