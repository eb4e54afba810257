package io.github.cancellablesoap.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server from the machine's packages (nginx, tinyproxy) that a test starts in the
 * foreground with a configuration of its own, on a loopback port, and stops afterwards:
 * it finds the binary, starts it with its output in a log file, waits until it accepts
 * connections, and destroys it on {@link #close()}.
 * <p>
 * Thread-safe.
 */
public final class ExternalServer implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path output;

	private ExternalServer(String name, Process process, Path output) {
		this.name = name;
		this.process = process;
		this.output = output;
	}

	/**
	 * Find a binary on the {@code PATH}, or in {@code /usr/sbin} and {@code /usr/bin}.
	 * @param name the binary's name
	 * @return its path, or {@code null} when the machine has none
	 */
	public static @Nullable Path binary(String name) {
		String path = System.getenv("PATH");
		List<String> dirs = new ArrayList<>((path != null) ? List.of(path.split(File.pathSeparator)) : List.of());
		dirs.add("/usr/sbin");
		dirs.add("/usr/bin");
		for (String dir : dirs) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Start a server and wait (ten seconds at most) until it accepts connections.
	 * @param name the binary's name, which must be installed
	 * @param dir where its output goes ({@code output.log})
	 * @param port the loopback port it listens on
	 * @param arguments the arguments after the binary
	 * @return the running server
	 */
	public static ExternalServer start(String name, Path dir, int port, String... arguments) {
		Path binary = binary(name);
		assertThat(binary).as("the %s binary", name).isNotNull();
		List<String> command = new ArrayList<>();
		command.add(binary.toString());
		command.addAll(List.of(arguments));
		Path output = dir.resolve("output.log");
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ExternalServer server = new ExternalServer(name, process, output);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				assertThat(process.isAlive()).as("%s runs (see %s)", name, dir).isTrue();
				return accepts(port);
			});
		}
		catch (RuntimeException | Error ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Read a file the server writes, such as its log.
	 * @param file the file
	 * @return its text, or an empty string when it does not exist yet
	 */
	public static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What the server wrote to its standard output and error.
	 * @return the output so far
	 */
	public String output() {
		return read(this.output);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "ExternalServer(" + this.name + ")";
	}

}
