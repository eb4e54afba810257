package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers questions about the TCP sockets of this JVM, from the kernel's point of view,
 * on Linux: it reads {@code /proc/net/tcp} and {@code /proc/net/tcp6} (every TCP socket
 * of the network namespace) and keeps those whose inode is the target of a
 * {@code socket:[inode]} link in {@code /proc/self/fd} (the sockets this process has
 * open). Tests use it to prove that a client really closed its sockets, for example that
 * no {@link TcpSocket.State#SYN_SENT SYN_SENT} socket towards a
 * {@link HangingConnectTarget} is left after an abort.
 * <p>
 * Limits: {@link #own()} sees only sockets that still have a file descriptor in this
 * process. A socket this process has closed but that lingers in the kernel
 * ({@code FIN_WAIT1}, {@code FIN_WAIT2}, {@code TIME_WAIT} and so on) has inode 0 and
 * belongs to no process, so it is not "own"; the same holds for connections waiting in a
 * listener's accept queue. Use {@link #all()} to see those. A snapshot is not atomic:
 * sockets opened or closed while it is taken may or may not appear.
 * <p>
 * Thread-safe: every method may be called from any thread; each call reads the files
 * afresh.
 *
 * @author Cancellable SOAP
 */
public final class TcpSockets {

	private static final Path TCP = Path.of("/proc/net/tcp");

	private static final Path TCP6 = Path.of("/proc/net/tcp6");

	private static final Path FDS = Path.of("/proc/self/fd");

	private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

	private TcpSockets() {
	}

	/**
	 * Whether this platform has the files this class reads (Linux with {@code /proc}).
	 * @return whether the other methods work here
	 */
	public static boolean isSupported() {
		return Files.isReadable(TCP) && Files.isDirectory(FDS);
	}

	/**
	 * Every TCP socket of the network namespace, of any process or none.
	 * @return a snapshot
	 */
	public static List<TcpSocket> all() {
		List<TcpSocket> sockets = new ArrayList<>();
		read(TCP, sockets);
		read(TCP6, sockets);
		return sockets;
	}

	/**
	 * The TCP sockets this process has open (see the class comment for what that leaves
	 * out).
	 * @return a snapshot
	 */
	public static List<TcpSocket> own() {
		Set<Long> inodes = ownSocketInodes();
		return all().stream().filter((socket) -> socket.inode() != 0 && inodes.contains(socket.inode())).toList();
	}

	/**
	 * The TCP sockets this process has open towards a remote port: the client sides of
	 * connections to a server on that port.
	 * @param remotePort the server's port
	 * @return a snapshot
	 */
	public static List<TcpSocket> ownTowards(int remotePort) {
		return own().stream().filter((socket) -> socket.remotePort() == remotePort).toList();
	}

	/**
	 * Count the TCP sockets this process has open towards a remote port, in some states.
	 * @param remotePort the server's port
	 * @param states the states to count; none means every state
	 * @return how many there are
	 */
	public static long countOwn(int remotePort, TcpSocket.State... states) {
		List<TcpSocket.State> wanted = Arrays.asList(states);
		return ownTowards(remotePort).stream()
			.filter((socket) -> wanted.isEmpty() || wanted.contains(socket.state()))
			.count();
	}

	/**
	 * The listening socket this process has open on a local port.
	 * @param localPort the port
	 * @return the listener, if there is one
	 */
	public static Optional<TcpSocket> ownListener(int localPort) {
		return own().stream()
			.filter((socket) -> socket.state() == TcpSocket.State.LISTEN && socket.localPort() == localPort)
			.findFirst();
	}

	private static Set<Long> ownSocketInodes() {
		Set<Long> inodes = new HashSet<>();
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
			for (Path fd : fds) {
				String target;
				try {
					target = Files.readSymbolicLink(fd).toString();
				}
				catch (NoSuchFileException ex) {
					continue; // closed meanwhile
				}
				catch (IOException ex) {
					continue; // not a link we may read
				}
				Matcher matcher = SOCKET_LINK.matcher(target);
				if (matcher.matches()) {
					inodes.add(Long.parseLong(matcher.group(1)));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return inodes;
	}

	private static void read(Path table, List<TcpSocket> into) {
		if (!Files.isReadable(table)) {
			return;
		}
		List<String> lines;
		try {
			lines = Files.readAllLines(table);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
			parse(line).ifPresent(into::add);
		}
	}

	static Optional<TcpSocket> parse(String line) {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
		// timeout inode ...
		String[] fields = line.trim().split("\\s+");
		if (fields.length < 10) {
			return Optional.empty();
		}
		Optional<TcpSocket.State> state = TcpSocket.State.ofCode(Integer.parseInt(fields[3], 16));
		if (state.isEmpty()) {
			return Optional.empty();
		}
		String[] local = fields[1].split(":");
		String[] remote = fields[2].split(":");
		String[] queues = fields[4].split(":");
		return Optional.of(new TcpSocket(address(local[0]), Integer.parseInt(local[1], 16), address(remote[0]),
				Integer.parseInt(remote[1], 16), state.get(), Long.parseLong(queues[0], 16),
				Long.parseLong(queues[1], 16), Long.parseLong(fields[9])));
	}

	/**
	 * Decode an address column: 8 or 32 hex digits, each group of 8 being a 32-bit word
	 * printed in host byte order.
	 */
	private static InetAddress address(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
		for (int word = 0; word < bytes.length / 4; word++) {
			for (int i = 0; i < 4; i++) {
				int source = word * 8 + i * 2;
				int target = word * 4 + (littleEndian ? 3 - i : i);
				bytes[target] = (byte) Integer.parseInt(hex.substring(source, source + 2), 16);
			}
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Bad address " + hex, ex);
		}
	}

}
