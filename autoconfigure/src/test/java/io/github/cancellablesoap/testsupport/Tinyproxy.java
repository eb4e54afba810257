package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A real tinyproxy (Debian's package {@code tinyproxy}) as a forward proxy on a random
 * loopback port, with its own configuration and log in a directory of the test's, started
 * in the foreground and stopped on {@link #close()}. Its log ({@code LogLevel Info})
 * shows each request it forwards and each {@code CONNECT} it tunnels.
 * <p>
 * Thread-safe.
 */
public final class Tinyproxy implements AutoCloseable {

	private final ExternalServer server;

	private final int port;

	private final Path log;

	private Tinyproxy(ExternalServer server, int port, Path log) {
		this.server = server;
		this.port = port;
		this.log = log;
	}

	/**
	 * Whether the machine has a tinyproxy binary.
	 * @return {@code true} when tests can start one
	 */
	public static boolean installed() {
		return ExternalServer.binary("tinyproxy") != null;
	}

	/**
	 * Start a tinyproxy that forwards for anyone.
	 * @param dir the directory for its configuration and log
	 * @return the running proxy
	 */
	public static Tinyproxy start(Path dir) {
		return start(dir, null, null);
	}

	/**
	 * Start a tinyproxy, with HTTP Basic authentication when a user is given.
	 * @param dir the directory for its configuration and log
	 * @param user the user it requires, or {@code null}
	 * @param password the user's password
	 * @return the running proxy
	 */
	public static Tinyproxy start(Path dir, @Nullable String user, @Nullable String password) {
		int port = FreePorts.loopback();
		Path log = dir.resolve("tinyproxy.log");
		List<String> lines = new ArrayList<>(List.of("Port " + port, "Listen 127.0.0.1", "Timeout 60",
				"LogFile \"" + log + "\"", "LogLevel Info", "PidFile \"" + dir.resolve("tinyproxy.pid") + "\"",
				"MaxClients 50", "ViaProxyName \"test-tinyproxy\""));
		if (user != null) {
			lines.add("BasicAuth " + user + " " + password);
		}
		Path config = dir.resolve("tinyproxy.conf");
		try {
			Files.createDirectories(dir);
			Files.writeString(config, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Tinyproxy(ExternalServer.start("tinyproxy", dir, port, "-d", "-c", config.toString()), port, log);
	}

	public int port() {
		return this.port;
	}

	/**
	 * The proxy's log so far.
	 * @return its text
	 */
	public String log() {
		return ExternalServer.read(this.log);
	}

	@Override
	public void close() {
		this.server.close();
	}

	@Override
	public String toString() {
		return "Tinyproxy(127.0.0.1:" + this.port + ")";
	}

}
