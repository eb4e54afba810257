package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A SOAP 1.1 endpoint on the loopback interface that answers every POST with the same
 * small canned response, after reading the request body fully. Both clients call it, so
 * its cost is common to both. Thread-safe.
 */
final class LoopbackSoapServer {

	private static final byte[] RESPONSE = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			+ "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<SOAP-ENV:Header/><SOAP-ENV:Body>" + "<b:EchoResponse xmlns:b=\"" + ProxyCostBenchmark.NAMESPACE
			+ "\"><b:status>ok</b:status><b:id>42</b:id><b:checksum>9f2c61d0</b:checksum></b:EchoResponse>"
			+ "</SOAP-ENV:Body></SOAP-ENV:Envelope>")
		.getBytes(StandardCharsets.UTF_8);

	private final HttpServer server;

	private final ExecutorService executor;

	private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

	private final LongAdder answered = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	LoopbackSoapServer(int threads) throws IOException {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "bench-server-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = Executors.newFixedThreadPool(threads, factory);
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		this.server.setExecutor(this.executor);
		this.server.createContext("/ws", this::handle);
	}

	static int responseSize() {
		return RESPONSE.length;
	}

	void start() {
		this.server.start();
	}

	URI address() {
		InetSocketAddress bound = this.server.getAddress();
		return URI.create("http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/ws");
	}

	/**
	 * Forget the connections seen so far, to count those used by the next round.
	 */
	void resetConnections() {
		this.connections.clear();
	}

	/**
	 * The number of distinct client connections seen since the last reset.
	 * @return the count
	 */
	int connections() {
		return this.connections.size();
	}

	long answered() {
		return this.answered.sum();
	}

	long rejected() {
		return this.rejected.sum();
	}

	void stop() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			this.connections.add(exchange.getRemoteAddress());
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (!"POST".equals(exchange.getRequestMethod())
					|| !new String(body, StandardCharsets.UTF_8).contains("EchoRequest")) {
				this.rejected.increment();
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
			exchange.sendResponseHeaders(200, RESPONSE.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(RESPONSE);
			}
			this.answered.increment();
		}
		finally {
			exchange.close();
		}
	}

}
