package io.github.cancellablesoap.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.cancellablesoap.client.ServiceProxy;
import org.jspecify.annotations.Nullable;
import io.github.cancellablesoap.testsupport.ExternalServer;
import io.github.cancellablesoap.testsupport.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real nginx with {@code proxy_ignore_client_abort on} between a proxy and its host,
 * which keeps the caller-gone detection (the auto-configured one) on: nginx hides the
 * caller's closed socket from the host, the explicit cancel passes through it. Needs an
 * {@code nginx} binary (Debian's package {@code nginx}); skipped, with a message that
 * says so, where there is none.
 */
@Tag("nginx")
@EnabledIf(value = "nginxInstalled",
		disabledReason = "no nginx binary on the PATH or in /usr/sbin: install Debian's "
				+ "package nginx to run the explicit-cancel tests behind a reverse proxy")
@SpringBootTest(classes = NginxCancelIntegrationTests.NginxApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.c.path=/hosts/c",
				"cancellable-soap.proxies.viaNginx.address=http://127.0.0.1:${test.nginx.port}/hosts/c",
				"cancellable-soap.proxies.viaNginx.call-timeout=30s",
				"cancellable-soap.proxies.unacquainted.address=http://127.0.0.1:${test.nginx.port}/hosts/c",
				"cancellable-soap.proxies.unacquainted.call-timeout=30s" })
class NginxCancelIntegrationTests extends AbstractHostCancelIntegrationTests {

	private static final int PORT = FreePorts.loopback();

	private static final int NGINX_PORT = FreePorts.loopback();

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("test.nginx.port", () -> NGINX_PORT);
	}

	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@TempDir
	static Path prefix;

	private static @Nullable ExternalServer nginx;

	@Autowired
	@Qualifier("viaNginx")
	ServiceProxy viaNginx;

	@Autowired
	@Qualifier("unacquainted")
	ServiceProxy unacquainted;

	@BeforeAll
	static void startNginx() throws IOException {
		for (String dir : List.of("logs", "body", "proxy", "fastcgi", "uwsgi", "scgi")) {
			Files.createDirectories(prefix.resolve(dir));
		}
		Path config = prefix.resolve("nginx.conf");
		Files.writeString(config, config(), StandardCharsets.UTF_8);
		nginx = ExternalServer.start("nginx", prefix.resolve("logs"), NGINX_PORT, "-p", prefix.toString(), "-c",
				config.toString(), "-e", prefix.resolve("logs/error.log").toString());
	}

	@AfterAll
	static void stopNginx() {
		CALLERS.shutdownNow();
		ExternalServer started = nginx;
		if (started != null) {
			started.close();
		}
	}

	@Test
	void theCancelPassesWhereTheClosedSocketDoesNot() throws Exception {
		// a proxy that never heard from the host sends no cancel: nginx keeps the
		// host's request going after the caller left
		Served unseen = abortedHold(this.unacquainted, CALLERS);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> unseen.cancels.get() == 0);

		// once a proxy heard the host say it understands cancels, its abort reaches it
		call(this.viaNginx, "Quick");
		Served served = abortedHold(this.viaNginx, CALLERS);
		served.awaitCompleted();
		assertThat(served.reason).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(served.cancels.get()).isEqualTo(1);

		String unseenOperation = this.c.operations()
			.stream()
			.filter((operation) -> unseen.callerCallId.equals(operation.callerCallId()))
			.findFirst()
			.orElseThrow()
			.id();
		assertThat(this.c.cancel(unseenOperation, "test over")).isTrue();
		unseen.awaitCompleted();
		assertThat(unseen.reason).isEqualTo(CancelReason.OPERATOR);
	}

	private static String config() {
		String dir = prefix.toString();
		return String.join("\n", "daemon off;", "master_process off;", "worker_processes 1;",
				"pid " + dir + "/logs/nginx.pid;", "error_log " + dir + "/logs/error.log info;",
				"events { worker_connections 64; }", "http {", "  access_log " + dir + "/logs/access.log;",
				"  client_body_temp_path " + dir + "/body;", "  proxy_temp_path " + dir + "/proxy;",
				"  fastcgi_temp_path " + dir + "/fastcgi;", "  uwsgi_temp_path " + dir + "/uwsgi;",
				"  scgi_temp_path " + dir + "/scgi;", "  server {", "    listen 127.0.0.1:" + NGINX_PORT + ";",
				"    location / {", "      proxy_pass http://127.0.0.1:" + PORT + ";",
				"      proxy_ignore_client_abort on;", "      proxy_read_timeout 60s;", "    }", "  }", "}", "");
	}

	static boolean nginxInstalled() {
		return ExternalServer.binary("nginx") != null;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(CancelEndpoints.class)
	static class NginxApplication {

	}

}
