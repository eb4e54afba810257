package io.github.cancellablesoap.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Sets {@code server.port} to a free loopback port before the context starts, once per
 * context, so that the quotes proxy's address
 * ({@code http://127.0.0.1:${server.port}/...}) names the port the server will listen on.
 * For tests that run the sample on its defined port:
 * {@code @ContextConfiguration(initializers = FreeServerPort.class)}.
 */
class FreeServerPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("freeServerPort", Map.of("server.port", freePort())));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
