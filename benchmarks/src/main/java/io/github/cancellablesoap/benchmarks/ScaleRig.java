package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What {@link ScaleBenchmark} measures against, started once and shared by its passes
 * (platform and virtual callers): a {@link SilentServer} in a child JVM, a Spring Boot
 * application with the actuator that declares the proxy {@code scale} to it, and the
 * grpc-java peer with the records of its server calls.
 * <p>
 * Not thread-safe to start and close; the parts are as thread-safe as their own types.
 *
 * @param server the silent server in its child JVM
 * @param app the application with the proxy
 * @param grpc the grpc-java peer
 * @param records what the grpc server calls saw
 */
record ScaleRig(SilentServerProcess server, App app, GrpcPeers grpc, PeerRecords records) implements AutoCloseable {

	/**
	 * Start everything.
	 * @param maxPending the proxy's {@code max-pending-calls}
	 * @return the rig
	 * @throws IOException when a part cannot start
	 * @throws InterruptedException when interrupted while stopping what had started
	 */
	static ScaleRig start(int maxPending) throws IOException, InterruptedException {
		SilentServerProcess server = SilentServerProcess.start();
		App app = null;
		try {
			app = App.start(server.address(), maxPending);
			PeerRecords records = new PeerRecords();
			return new ScaleRig(server, app, GrpcPeers.start(records), records);
		}
		catch (IOException | RuntimeException ex) {
			if (app != null) {
				app.close();
			}
			server.close();
			throw ex;
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try {
			this.grpc.close();
			this.app.close();
		}
		finally {
			this.server.close();
		}
	}

	/**
	 * The application that declares the proxy, with the actuator.
	 * <p>
	 * Not thread-safe to start and close.
	 */
	static final class App implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final URI listing;

		private App(ConfigurableApplicationContext context, int port) {
			this.context = context;
			this.listing = URI.create("http://127.0.0.1:" + port + "/actuator/soapcalls/proxies/scale");
		}

		static App start(URI address, int maxPending) throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			Map<String, Object> properties = Map.of("server.address", "127.0.0.1", "server.port", port,
					"spring.main.banner-mode", "off", "management.endpoints.web.exposure.include", "soapcalls",
					"cancellable-soap.proxies.scale.address", address.toString(),
					"cancellable-soap.proxies.scale.call-timeout", "10m",
					"cancellable-soap.proxies.scale.max-pending-calls", maxPending,
					"cancellable-soap.proxies.scale.abandoned-io-timeout", "10m");
			ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.web(WebApplicationType.SERVLET)
				.properties(properties)
				.run();
			return new App(context, port);
		}

		ServiceProxy proxy() {
			return this.context.getBean(ServiceProxies.class).find("scale").orElseThrow();
		}

		/**
		 * List every pending call through the actuator.
		 * @return how long the answer took, whole body read, in nanoseconds
		 */
		long list(int size, Anomalies anomalies) throws IOException, InterruptedException {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.listing + "?limit=" + size))
				.timeout(Duration.ofSeconds(60))
				.build();
			long t0 = System.nanoTime();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			long took = System.nanoTime() - t0;
			String body = response.body();
			int listed = count(body, "\"channelId\"");
			if (response.statusCode() != 200 || listed != size || !body.contains("\"truncated\":false")) {
				anomalies.add("the listing of " + size + " calls answered " + response.statusCode() + " with " + listed
						+ " calls");
			}
			return took;
		}

		private static int count(String text, String needle) {
			int count = 0;
			for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
				count++;
			}
			return count;
		}

		@Override
		public void close() {
			this.context.close();
		}

		/**
		 * Auto-configuration only: the proxy comes from the properties.
		 */
		@SpringBootConfiguration
		@EnableAutoConfiguration
		static class Application {

		}

	}

}
