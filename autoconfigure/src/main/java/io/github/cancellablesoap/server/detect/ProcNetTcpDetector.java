package io.github.cancellablesoap.server.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Detects a gone caller on Linux, with any servlet container, by polling the kernel's
 * connection tables {@code /proc/net/tcp} and {@code /proc/net/tcp6}: a watched
 * connection is gone when no ESTABLISHED entry with its local and remote port is left
 * (the server side of a connection the client closed is in CLOSE_WAIT).
 * <p>
 * Connections are matched by ports only: a false "gone" cannot happen, but a second
 * client with the same source port on another machine could hide a departure. One daemon
 * thread reads both tables per interval while anything is watched; the cost grows with
 * the number of open connections on the machine (or network namespace). Use
 * {@link #isSupported()} to check that the tables exist.
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

	private static final AtomicInteger COUNT = new AtomicInteger();

	private final Map<Long, Entry> watches = new ConcurrentHashMap<>();

	private final ScheduledExecutorService poller;

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
		this.poller = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "soap-caller-proc-" + COUNT.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.poller.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
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
		long key = key(request.getLocalPort(), request.getRemotePort());
		Entry entry = new Entry(onGone);
		this.watches.put(key, entry);
		return () -> this.watches.remove(key, entry);
	}

	/**
	 * The number of connections being watched, for tests and diagnostics.
	 * @return the count
	 */
	public int watched() {
		return this.watches.size();
	}

	private static long key(int localPort, int remotePort) {
		return ((long) localPort << 16) | remotePort;
	}

	private void poll() {
		if (this.watches.isEmpty()) {
			return;
		}
		// Only connections watched before the tables are read can be judged by them: a
		// connection accepted while they are being read may be missing from them.
		List<Map.Entry<Long, Entry>> watched = List.copyOf(this.watches.entrySet());
		Set<Long> established = established();
		if (established == null) {
			return;
		}
		for (Map.Entry<Long, Entry> watch : watched) {
			if (!established.contains(watch.getKey()) && this.watches.remove(watch.getKey(), watch.getValue())) {
				watch.getValue().fire();
			}
		}
	}

	private static @Nullable Set<Long> established() {
		Set<Long> established = new HashSet<>();
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
				if (fields.length >= 4 && ESTABLISHED.equals(fields[3])) {
					established.add(key(port(fields[1]), port(fields[2])));
				}
			}
		}
		return established;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
	}

	/**
	 * Stop the polling thread.
	 */
	@Override
	public void close() {
		this.poller.shutdownNow();
		this.watches.clear();
	}

	private static final class Entry {

		private final Runnable onGone;

		Entry(Runnable onGone) {
			this.onGone = onGone;
		}

		void fire() {
			try {
				this.onGone.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Caller-gone callback failed", ex);
			}
		}

	}

}
