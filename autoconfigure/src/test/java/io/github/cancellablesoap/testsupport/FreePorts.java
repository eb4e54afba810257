package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds free ports, for tests that must know an application's port before it starts
 * (Spring Boot's {@code DEFINED_PORT}, a reverse proxy in front of it).
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * A port that was free on the loopback address a moment ago.
	 * @return the port
	 */
	public static int loopback() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
