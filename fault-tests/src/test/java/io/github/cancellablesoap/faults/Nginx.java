package io.github.cancellablesoap.faults;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

	private Nginx(Process process, int port) {
		this.process = process;
		this.port = port;
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
		try {
			Path prefix = Files.createTempDirectory("faults-nginx-");
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
			Process process = new ProcessBuilder(binary().toString(), "-p", dir, "-c", file.toString(), "-e",
					dir + "/logs/error.log")
				.redirectErrorStream(true)
				.redirectOutput(prefix.resolve("logs/output.log").toFile())
				.start();
			Nginx nginx = new Nginx(process, port);
			await().atMost(Duration.ofSeconds(10)).until(() -> process.isAlive() && FaultContainer.accepts(port));
			return nginx;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
