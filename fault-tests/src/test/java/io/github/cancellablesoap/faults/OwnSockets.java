package io.github.cancellablesoap.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the TCP sockets this JVM has open towards a remote port, from the kernel's point
 * of view: the lines of {@code /proc/net/tcp} and {@code /proc/net/tcp6} whose inode is
 * one of this process's {@code socket:[inode]} file descriptors. It is the part of
 * autoconfigure's test helper {@code TcpSockets} the fault tests need (that one lives in
 * another module's tests). A socket this process closed no longer has a descriptor, so it
 * is not counted, whatever state it lingers in.
 * <p>
 * Thread-safe: each call reads the files afresh.
 */
final class OwnSockets {

	private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

	private OwnSockets() {
	}

	static boolean isSupported() {
		return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
	}

	/**
	 * How many sockets this process has open towards a remote port, in any state.
	 * @param remotePort the server's port
	 * @return the count
	 */
	static long towards(int remotePort) {
		Set<Long> inodes = ownInodes();
		long count = 0;
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : lines(Path.of(table))) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length < 10 || !fields[2].contains(":")) {
					continue;
				}
				int port = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
				long inode = Long.parseLong(fields[9]);
				if (port == remotePort && inode != 0 && inodes.contains(inode)) {
					count++;
				}
			}
		}
		return count;
	}

	private static List<String> lines(Path table) {
		if (!Files.isReadable(table)) {
			return List.of();
		}
		try {
			List<String> lines = Files.readAllLines(table);
			return lines.subList(Math.min(1, lines.size()), lines.size());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Set<Long> ownInodes() {
		Set<Long> inodes = new HashSet<>();
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path fd : fds) {
				try {
					Matcher matcher = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
					if (matcher.matches()) {
						inodes.add(Long.parseLong(matcher.group(1)));
					}
				}
				catch (NoSuchFileException ex) {
					// closed meanwhile
				}
				catch (IOException ex) {
					// not a link this process may read
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return inodes;
	}

}
