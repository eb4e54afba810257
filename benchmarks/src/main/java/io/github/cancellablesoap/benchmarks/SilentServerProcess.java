package io.github.cancellablesoap.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on a {@link SilentServer} in a child JVM (same Java, same class
 * path): its address and its counters.
 * <p>
 * Not thread-safe: used by the benchmark's main thread.
 */
final class SilentServerProcess implements AutoCloseable {

	private final Process process;

	private final BufferedReader out;

	private final Writer in;

	private final int port;

	private SilentServerProcess(Process process) throws IOException {
		this.process = process;
		this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		String first = this.out.readLine();
		if (first == null || !first.startsWith("PORT ")) {
			throw new IOException("the silent server did not start: " + first);
		}
		this.port = Integer.parseInt(first.substring(5).trim());
	}

	static SilentServerProcess start() throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(
				List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), SilentServer.class.getName()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		return new SilentServerProcess(process);
	}

	URI address() {
		return URI.create("http://127.0.0.1:" + this.port + "/silent");
	}

	/**
	 * The server's counters now.
	 * @return the counters
	 * @throws IOException when the server is gone
	 */
	Stats stats() throws IOException {
		this.in.write("STATS\n");
		this.in.flush();
		String line = this.out.readLine();
		if (line == null || !line.startsWith("STATS ")) {
			throw new IOException("the silent server answered " + line);
		}
		String[] parts = line.split(" ");
		return new Stats(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]),
				Long.parseLong(parts[4]));
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.in.close();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	/**
	 * The counters of the silent server.
	 *
	 * @param accepted connections accepted so far
	 * @param withRequest connections that sent request bytes
	 * @param closed connections closed by their client
	 * @param lastCloseNanos {@link System#nanoTime()} of the last close
	 */
	record Stats(int accepted, int withRequest, int closed, long lastCloseNanos) {

	}

}
