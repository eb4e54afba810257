package io.github.cancellablesoap.faults;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real nginx reverse proxy on a free loopback port, in the foreground with a
 * configuration of its own under a temporary prefix, in front of a port of this machine
 * (here: a container's published port). With its defaults, or with
 * {@code proxy_ignore_client_abort on}. Needs Debian's package {@code nginx} (as
 * autoconfigure's {@code NginxCancelIntegrationTests}, whose way of starting it this
 * follows).
 * <p>
 * Not thread-safe: start and close from one thread.
 */
final class Nginx implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path prefix;

	private Nginx(Process process, int port, Path prefix) {
		this.process = process;
		this.port = port;
		this.prefix = prefix;
	}

	static Path binary() {
		String path = System.getenv("PATH");
		List<String> dirs = new ArrayList<>((path != null) ? List.of(path.split(File.pathSeparator)) : List.of());
		dirs.add("/usr/sbin");
		for (String dir : dirs) {
			Path candidate = Path.of(dir, "nginx");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Start nginx in front of a loopback port.
	 * @param upstreamPort the port it forwards to
	 * @param ignoreClientAbort whether to add {@code proxy_ignore_client_abort on}
	 * @return the running nginx
	 */
	static Nginx start(int upstreamPort, boolean ignoreClientAbort) {
		Path prefix;
		try {
			prefix = Files.createTempDirectory("faults-nginx-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Process process = null;
		try {
			for (String dir : List.of("logs", "body", "proxy", "fastcgi", "uwsgi", "scgi")) {
				Files.createDirectories(prefix.resolve(dir));
			}
			int port = FaultContainer.freeLoopbackPort();
			String dir = prefix.toString();
			List<String> config = new ArrayList<>(List.of("daemon off;", "master_process off;", "worker_processes 1;",
					"pid " + dir + "/logs/nginx.pid;", "error_log " + dir + "/logs/error.log info;",
					"events { worker_connections 64; }", "http {", "  access_log " + dir + "/logs/access.log;",
					"  client_body_temp_path " + dir + "/body;", "  proxy_temp_path " + dir + "/proxy;",
					"  fastcgi_temp_path " + dir + "/fastcgi;", "  uwsgi_temp_path " + dir + "/uwsgi;",
					"  scgi_temp_path " + dir + "/scgi;", "  server {", "    listen 127.0.0.1:" + port + ";",
					"    location / {", "      proxy_pass http://127.0.0.1:" + upstreamPort + ";",
					"      proxy_read_timeout 120s;"));
			if (ignoreClientAbort) {
				config.add("      proxy_ignore_client_abort on;");
			}
			config.addAll(List.of("    }", "  }", "}", ""));
			Path file = prefix.resolve("nginx.conf");
			Files.writeString(file, String.join("\n", config), StandardCharsets.UTF_8);
			Process started = new ProcessBuilder(binary().toString(), "-p", dir, "-c", file.toString(), "-e",
					dir + "/logs/error.log")
				.redirectErrorStream(true)
				.redirectOutput(prefix.resolve("logs/output.log").toFile())
				.start();
			process = started;
			await().atMost(Duration.ofSeconds(10)).until(() -> started.isAlive() && FaultContainer.accepts(port));
			return new Nginx(started, port, prefix);
		}
		catch (IOException | RuntimeException ex) {
			// Not ready (or not started): nothing of it may outlive this call.
			if (process != null) {
				stop(process);
			}
			deleteTree(prefix);
			if (ex instanceof IOException io) {
				throw new UncheckedIOException(io);
			}
			throw (RuntimeException) ex;
		}
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() {
		try {
			stop(this.process);
		}
		finally {
			deleteTree(this.prefix);
		}
	}

	private static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Delete the temporary prefix and all under it (nginx's configuration, logs and
	 * temporary files).
	 */
	private static void deleteTree(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + root, ex);
		}
	}

}
