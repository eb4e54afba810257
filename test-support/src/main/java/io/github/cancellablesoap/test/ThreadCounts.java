package io.github.cancellablesoap.test;

import java.util.List;

/**
 * Counts the live threads of this JVM by name, for tests that prove a component leaks no
 * threads (for example that every {@code scripted-http-<port>-} thread ended after
 * {@link io.github.cancellablesoap.test.http.ScriptedHttpServer#close()}).
 * <p>
 * Thread-safe: every method may be called from any thread; each call takes a fresh
 * snapshot of the live threads.
 *
 * @author Cancellable SOAP
 */
public final class ThreadCounts {

	private ThreadCounts() {
	}

	/**
	 * Count the live threads whose name starts with a prefix.
	 * @param namePrefix the prefix
	 * @return how many live threads have such a name
	 */
	public static int live(String namePrefix) {
		return liveNames(namePrefix).size();
	}

	/**
	 * The names of the live threads whose name starts with a prefix, for messages.
	 * @param namePrefix the prefix
	 * @return the names, sorted
	 */
	public static List<String> liveNames(String namePrefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(namePrefix))
			.sorted()
			.toList();
	}

}
