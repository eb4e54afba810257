package io.github.cancellablesoap.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The loopback SOAP endpoint both benchmarks call: a raw {@link ServerSocket} on the
 * loopback interface with one daemon thread per connection. Each thread reads requests
 * (head and {@code Content-Length} body), checks them (a POST whose body holds the
 * expected element), and then either {@link Reply#ANSWER answers} every one on a
 * kept-alive connection, or {@link Reply#SILENT never answers}: it blocks in
 * {@code read()} until the client closes the socket and records when it saw the end of
 * stream (FIN) or a reset. Silent requests are matched to proxy calls by the
 * {@code Soap-Call-Id} header that the proxy's transport sends.
 * <p>
 * An answer is an {@link EchoResponse}: about as large as the request when the request
 * holds items (see {@link Payload}), a small fixed response otherwise.
 * <p>
 * Thread-safe: every method may be called from any thread.
 */
final class LoopbackServer {

	static final String NAMESPACE = "urn:cancellable-soap:bench";

	private static final byte[] BAD_REQUEST = response("400 Bad Request", "Content-Length: 0", new byte[0]);

	private final Reply reply;

	private final String expectedElement;

	private final ServerSocket serverSocket;

	private final Thread acceptor;

	private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final Set<SocketAddress> clients = ConcurrentHashMap.newKeySet();

	private final AtomicInteger maxOpen = new AtomicInteger();

	private final AtomicInteger connectionCount = new AtomicInteger();

	private final Map<Count, LongAdder> counts = new EnumMap<>(Count.class);

	private volatile boolean stopped;

	/**
	 * Bind a server to a free loopback port; {@link #start()} starts accepting.
	 * @param reply whether to answer requests or never answer
	 * @param expectedElement the local name of the element a valid request body holds
	 * @throws IOException if binding failed
	 */
	LoopbackServer(Reply reply, String expectedElement) throws IOException {
		this.reply = reply;
		this.expectedElement = expectedElement;
		this.serverSocket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::acceptLoop, "bench-server-acceptor");
		this.acceptor.setDaemon(true);
		for (Count count : Count.values()) {
			this.counts.put(count, new LongAdder());
		}
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

	/**
	 * Forget the client connections seen so far, to count those used by the next round.
	 */
	void resetClients() {
		this.clients.clear();
	}

	/**
	 * The number of distinct client connections that sent a request since the last
	 * {@link #resetClients()}.
	 * @return the count
	 */
	int clients() {
		return this.clients.size();
	}

	int openConnections() {
		return this.open.size();
	}

	int maxOpenConnections() {
		return this.maxOpen.get();
	}

	long accepted() {
		return this.connectionCount.get();
	}

	/**
	 * How often something happened since the server started.
	 * @param count what
	 * @return how often
	 */
	long count(Count count) {
		return this.counts.get(count).sum();
	}

	void stop() {
		this.stopped = true;
		closeQuietly(this.serverSocket);
		this.open.forEach(LoopbackServer::closeQuietly);
	}

	private void acceptLoop() {
		while (!this.stopped) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				if (!this.stopped) {
					increment(Count.REJECTED);
				}
				continue;
			}
			this.open.add(socket);
			this.maxOpen.accumulateAndGet(this.open.size(), Math::max);
			Thread thread = new Thread(() -> serve(socket), "bench-server-" + this.connectionCount.incrementAndGet());
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void serve(Socket socket) {
		Exchange exchange = null;
		try {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
			LoopbackRequest request = LoopbackRequest.read(in);
			if (request == null && this.reply == Reply.SILENT) {
				increment(Count.REJECTED);
			}
			while (request != null) {
				this.clients.add(socket.getRemoteSocketAddress());
				boolean valid = request.isValid(this.expectedElement);
				if (this.reply == Reply.ANSWER) {
					if (valid) {
						EchoResponse.write(request.body(), out);
					}
					else {
						out.write(BAD_REQUEST);
					}
					out.flush();
					increment(valid ? Count.ANSWERED : Count.REJECTED);
					request = LoopbackRequest.read(in);
					continue;
				}
				String callId = request.callId();
				if (!valid || callId == null) {
					increment(Count.REJECTED);
				}
				if (callId != null) {
					exchange = exchange(callId);
					exchange.received.complete(System.nanoTime());
				}
				// Never answer: wait for the client to close the connection.
				while (in.read() != -1) {
					increment(Count.UNEXPECTED_BYTES);
				}
				break;
			}
			long closed = System.nanoTime();
			increment(Count.END_OF_STREAM);
			closed(socket, exchange, closed);
		}
		catch (IOException | RuntimeException ex) {
			long closed = System.nanoTime();
			if (!this.stopped) {
				increment(Count.RESETS);
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

	private void increment(Count count) {
		this.counts.get(count).increment();
	}

	private static byte[] response(String status, String headers, byte[] body) {
		byte[] head = ("HTTP/1.1 " + status + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
		byte[] response = new byte[head.length + body.length];
		System.arraycopy(head, 0, response, 0, head.length);
		System.arraycopy(body, 0, response, head.length, body.length);
		return response;
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// nothing more to do
		}
	}

	/**
	 * What the server does with a request it has read.
	 */
	enum Reply {

		/**
		 * Answer with the canned response and keep the connection for the next request.
		 */
		ANSWER,

		/** Never answer: wait until the client closes the connection. */
		SILENT

	}

	/**
	 * What the server counts.
	 */
	enum Count {

		/** Valid requests answered. */
		ANSWERED,

		/** Bad requests, connections closed without one, failed accepts. */
		REJECTED,

		/** Bytes sent after a request that is never answered. */
		UNEXPECTED_BYTES,

		/** Connections the client closed with a FIN. */
		END_OF_STREAM,

		/** Connections that ended with a reset or another I/O error. */
		RESETS

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
