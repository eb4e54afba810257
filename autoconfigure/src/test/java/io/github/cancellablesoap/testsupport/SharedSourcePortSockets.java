package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * Opens two client connections to one target that share their source port but not their
 * source address (127.0.0.2 and 127.0.0.3: Linux routes the whole 127.0.0.0/8 to
 * loopback), so that only the full 4-tuple tells them apart.
 * <p>
 * Stateless and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class SharedSourcePortSockets {

	private static final int ATTEMPTS = 20;

	private SharedSourcePortSockets() {
	}

	/**
	 * Connect two sockets from 127.0.0.2 and 127.0.0.3 with the same source port.
	 * @param target where both connect
	 * @return the two connected sockets; the caller closes them
	 * @throws IOException when no common free port was found or a connect failed
	 */
	public static List<Socket> connect(InetSocketAddress target) throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Socket first = new Socket();
			Socket second = new Socket();
			try {
				first.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 2 }), 0));
				second.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 3 }),
						first.getLocalPort()));
			}
			catch (BindException ex) {
				first.close();
				second.close();
				continue;
			}
			try {
				first.connect(target, 5000);
				second.connect(target, 5000);
			}
			catch (IOException ex) {
				first.close();
				second.close();
				throw ex;
			}
			return List.of(first, second);
		}
		throw new IOException("No source port free on both 127.0.0.2 and 127.0.0.3 after " + ATTEMPTS + " attempts");
	}

}
