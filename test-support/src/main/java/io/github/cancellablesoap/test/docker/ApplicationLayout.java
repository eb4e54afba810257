package io.github.cancellablesoap.test.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an application's files go in a {@link JavaImage} (under {@code /app}) and the
 * part of the {@code java} command that starts it: {@code -jar /app/<jar>}, or
 * {@code -cp /app/cp/0-classes:/app/cp/1-lib.jar... <main class>}.
 * <p>
 * Immutable and thread-safe.
 *
 * @param files each source file or directory, with its path under {@code /app}
 * @param command the arguments of {@code java} after the JVM arguments
 * @author Cancellable SOAP
 */
record ApplicationLayout(List<Entry> files, List<String> command) {

	static ApplicationLayout jar(Path jar) {
		String name = "app.jar";
		return new ApplicationLayout(List.of(new Entry(jar, name)), List.of("-jar", "/app/" + name));
	}

	static ApplicationLayout classPath(List<Path> classPath, String mainClass) {
		List<Entry> files = new ArrayList<>();
		List<String> entries = new ArrayList<>();
		for (int i = 0; i < classPath.size(); i++) {
			Path source = classPath.get(i);
			String name = "cp/" + i + "-" + source.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
			files.add(new Entry(source, name));
			entries.add("/app/" + name);
		}
		return new ApplicationLayout(List.copyOf(files), List.of("-cp", String.join(":", entries), mainClass));
	}

	/**
	 * Add what the application is made of to a hash.
	 * @param hash the hash
	 */
	void addTo(ContentHash hash) {
		for (Entry file : this.files) {
			hash.add(file.target());
			hash.add(Files.isDirectory(file.source()) ? "dir" : "file");
			hash.addFile(file.source());
		}
		hash.add(String.join(" ", this.command));
	}

	/**
	 * One file or directory of the application.
	 *
	 * @param source where it is on this machine
	 * @param target its path under {@code /app}
	 */
	record Entry(Path source, String target) {

	}

}
