package io.github.cancellablesoap.server.detect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Detects a gone caller on Linux, with any servlet container, by polling the kernel's
 * connection tables {@code /proc/net/tcp} and {@code /proc/net/tcp6}: a watched
 * connection is gone when no ESTABLISHED entry with its local address and port and its
 * remote address and port is left (the server side of a connection the client closed is
 * in CLOSE_WAIT).
 * <p>
 * Connections are matched by their full 4-tuple, so two callers that share a source port
 * (from different addresses, over IPv4 and IPv6 alike) are told apart; an IPv4 caller
 * served by an IPv6 socket (listed as {@code ::ffff:a.b.c.d}) matches its IPv4 address. A
 * request whose addresses are not IP literals is not watched. One daemon thread reads
 * both tables per interval while anything is watched; the cost grows with the number of
 * open connections on the machine (or network namespace). Use {@link #isSupported()} to
 * check that the tables exist.
 * <p>
 * Thread-safe. Call {@link #close()} to stop the polling thread.
 *
 * @author Cancellable SOAP
 */
public final class ProcNetTcpDetector implements CallerGoneDetector, AutoCloseable {

	/** The default interval between polls. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

	private static final Log logger = LogFactory.getLog(ProcNetTcpDetector.class);

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private static final String ESTABLISHED = "01";

	private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	// a colon makes the JDK parse it as an IPv6 literal, never look it up
	private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

	private static final CallerGoneDetector.Watch NO_WATCH = () -> {
	};

	private final PolledWatches<Connection> watches;

	/**
	 * Create a detector that polls every {@link #DEFAULT_INTERVAL}.
	 */
	public ProcNetTcpDetector() {
		this(DEFAULT_INTERVAL);
	}

	/**
	 * Create a detector.
	 * @param interval the interval between polls
	 */
	public ProcNetTcpDetector(Duration interval) {
		this.watches = new PolledWatches<>("soap-caller-proc", interval, ProcNetTcpDetector::poll);
	}

	/**
	 * Whether this system has the connection tables the detector reads.
	 * @return {@code true} on Linux with a readable {@code /proc/net/tcp}
	 */
	public static boolean isSupported() {
		return Files.isReadable(TABLES.get(0));
	}

	@Override
	public Watch watch(HttpServletRequest request, Runnable onGone) {
		InetAddress local = literal(request.getLocalAddr());
		InetAddress remote = literal(request.getRemoteAddr());
		if (local == null || remote == null) {
			logger.debug("Cannot watch a connection without IP addresses: " + request.getLocalAddr() + " <- "
					+ request.getRemoteAddr());
			return NO_WATCH;
		}
		return this.watches.add(new Connection(local, request.getLocalPort(), remote, request.getRemotePort()), onGone);
	}

	/**
	 * The number of connections being watched, for tests and diagnostics.
	 * @return the count
	 */
	public int watched() {
		return this.watches.size();
	}

	private static long ports(int localPort, int remotePort) {
		return ((long) localPort << 16) | remotePort;
	}

	private static void poll(PolledWatches<Connection> watches) {
		if (watches.isEmpty()) {
			return;
		}
		// Only connections watched before the tables are read can be judged by them: a
		// connection accepted while they are being read may be missing from them.
		List<PolledWatches.Watched<Connection>> watched = watches.snapshot();
		Set<Long> watchedPorts = new HashSet<>();
		for (PolledWatches.Watched<Connection> watch : watched) {
			watchedPorts.add(ports(watch.target().localPort(), watch.target().remotePort()));
		}
		Set<Connection> established = established(watchedPorts);
		if (established != null) {
			watches.fireGone(watched, (connection) -> !established.contains(connection));
		}
	}

	/**
	 * The ESTABLISHED connections whose ports are among the watched ones; only those
	 * lines have their addresses decoded.
	 */
	private static @Nullable Set<Connection> established(Set<Long> watchedPorts) {
		Set<Connection> established = new HashSet<>();
		for (Path table : TABLES) {
			List<String> lines;
			try {
				lines = Files.readAllLines(table);
			}
			catch (IOException ex) {
				if (table == TABLES.get(0)) {
					logger.debug("Cannot read " + table, ex);
					return null;
				}
				continue;
			}
			for (int i = 1; i < lines.size(); i++) {
				String[] fields = lines.get(i).trim().split("\\s+", 5);
				if (fields.length >= 4 && ESTABLISHED.equals(fields[3])
						&& watchedPorts.contains(ports(port(fields[1]), port(fields[2])))) {
					Connection connection = connection(fields[1], fields[2]);
					if (connection != null) {
						established.add(connection);
					}
				}
			}
		}
		return established;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
	}

	private static @Nullable Connection connection(String local, String remote) {
		InetAddress localAddress = address(local);
		InetAddress remoteAddress = address(remote);
		if (localAddress == null || remoteAddress == null) {
			return null;
		}
		return new Connection(localAddress, port(local), remoteAddress, port(remote));
	}

	/**
	 * Decode a table's address: hexadecimal 32-bit words as the kernel stores them, so in
	 * the machine's byte order ({@code 0100007F} is 127.0.0.1 on little-endian machines).
	 */
	private static @Nullable InetAddress address(String field) {
		String hex = field.substring(0, field.indexOf(':'));
		if (hex.length() != 8 && hex.length() != 32) {
			return null;
		}
		byte[] bytes = new byte[hex.length() / 2];
		boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
		for (int word = 0; word < bytes.length / 4; word++) {
			for (int i = 0; i < 4; i++) {
				int at = word * 8 + i * 2;
				byte value = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
				bytes[word * 4 + (littleEndian ? 3 - i : i)] = value;
			}
		}
		try {
			// getByAddress turns an IPv4-mapped IPv6 address into the IPv4 one
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * An address the container reported, parsed without any name look-up; the scope of an
	 * IPv6 address is dropped, as the tables have none.
	 */
	private static @Nullable InetAddress literal(@Nullable String address) {
		if (address == null || !(IPV4_LITERAL.matcher(address).matches() || IPV6_LITERAL.matcher(address).matches())) {
			return null;
		}
		try {
			return InetAddress.getByAddress(InetAddress.getByName(address).getAddress());
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * Stop the polling thread.
	 */
	@Override
	public void close() {
		this.watches.close();
	}

	/**
	 * A connection's 4-tuple, as the server sees it.
	 */
	private record Connection(InetAddress local, int localPort, InetAddress remote, int remotePort) {

	}

}
