package io.github.cancellablesoap.benchmarks;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.github.cancellablesoap.test.http.SilentNioServer;

/**
 * The test-support module's {@link SilentNioServer} (one selector thread that reads every
 * request and never answers) in its own JVM, for {@link ScaleBenchmark} and
 * {@link PendingMemoryBenchmark}, so that ten thousand connections fit in two processes'
 * file limits. It notes when each connection is closed by its client with
 * {@link System#nanoTime()} (a system-wide monotonic clock on Linux, comparable between
 * the two processes).
 * <p>
 * It prints {@code PORT <port>} when it listens, then answers each {@code STATS} line on
 * standard input with
 * {@code STATS <accepted> <with request bytes> <closed> <last close nanos>}; it exits
 * when standard input ends. Used from {@code main} only, on one thread.
 */
public final class SilentServer {

	private SilentServer() {
	}

	/**
	 * Run the server until standard input ends.
	 * @param args ignored
	 * @throws Exception when it cannot listen or is interrupted while closing
	 */
	public static void main(String[] args) throws Exception {
		PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		try (SilentNioServer server = SilentNioServer.start()) {
			out.println("PORT " + server.port());
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if ("STATS".equals(line.trim())) {
					out.println("STATS " + server.accepted() + " " + server.withRequest() + " " + server.closedByPeer()
							+ " " + server.lastCloseNanos());
				}
			}
		}
	}

}
