package io.github.cancellablesoap.test.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The root file system of a {@code FROM scratch} Java image: a jlink'ed runtime of the
 * running JDK under {@code /opt/java}, the glibc libraries it links (found with
 * {@code ldd}) at their host paths, an empty {@code /tmp} and a minimal
 * {@code /etc/nsswitch.conf}.
 * <p>
 * Its {@link #key() key} names everything the file system is made of (the JDK's
 * {@code release} file, path and module image, the module list, the jlink options and the
 * bytes of every library), so an image tagged with it can be reused across runs.
 * <p>
 * Not thread-safe: one thread assembles one runtime.
 *
 * @author Cancellable SOAP
 */
final class JavaRuntime {

	/** Where the runtime lives in the image. */
	static final String JAVA_HOME = "/opt/java";

	private static final Pattern LDD_LINE = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

	/** Libraries glibc loads by name at run time, which {@code ldd} does not list. */
	private static final List<String> NSS_LIBRARIES = List.of("libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2");

	private final Path javaHome;

	private final Set<String> modules;

	private final int feature;

	JavaRuntime(Path javaHome, Set<String> requestedModules) {
		this.javaHome = javaHome;
		this.feature = Runtime.version().feature();
		Set<String> present = ModuleFinder.ofSystem()
			.findAll()
			.stream()
			.map(ModuleReference::descriptor)
			.map((descriptor) -> descriptor.name())
			.collect(Collectors.toSet());
		// jdk.crypto.ec and friends come and go between releases: keep what this JDK has
		this.modules = requestedModules.stream()
			.filter(present::contains)
			.collect(Collectors.toCollection(TreeSet::new));
		if (!this.modules.contains("java.base")) {
			this.modules.add("java.base");
		}
	}

	Set<String> modules() {
		return this.modules;
	}

	List<String> jlinkOptions() {
		// --compress=2 is deprecated from Java 21 on, which names the same thing zip-6
		return List.of("--strip-debug", "--no-header-files", "--no-man-pages",
				(this.feature >= 21) ? "--compress=zip-6" : "--compress=2");
	}

	/**
	 * A content key for the runtime: the same key means the same file system.
	 * @return hex digits
	 */
	String key() {
		ContentHash hash = new ContentHash();
		hash.add("java-runtime-v1");
		hash.add(this.javaHome.toString());
		hash.addFile(this.javaHome.resolve("release"));
		Path modulesImage = this.javaHome.resolve("lib/modules");
		hash.addSizeAndTime(modulesImage);
		hash.add(String.join(",", this.modules));
		hash.add(String.join(" ", jlinkOptions()));
		for (Path library : hostLibraries(binaries(this.javaHome), this.javaHome)) {
			hash.add(library.toString());
			hash.addFile(library);
		}
		return hash.hex();
	}

	/**
	 * Assemble the root file system in an empty directory.
	 * @param rootfs the directory (created, must not exist)
	 */
	void assemble(Path rootfs) {
		Path runtime = rootfs.resolve(JAVA_HOME.substring(1));
		try {
			Files.createDirectories(runtime.getParent());
			List<String> command = new ArrayList<>();
			command.add(this.javaHome.resolve("bin/jlink").toString());
			command.add("--add-modules");
			command.add(String.join(",", this.modules));
			command.addAll(jlinkOptions());
			command.add("--output");
			command.add(runtime.toString());
			run(command);
			for (Path library : hostLibraries(binaries(runtime), runtime)) {
				Path target = rootfs.resolve(library.toString().substring(1));
				Files.createDirectories(target.getParent());
				// follows symbolic links: the image gets the files themselves
				Files.copy(library, target);
			}
			Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
			tmp.toFile().setWritable(true, false);
			Path etc = Files.createDirectories(rootfs.resolve("etc"));
			Files.writeString(etc.resolve("nsswitch.conf"), "hosts: files dns\n", StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> binaries(Path home) {
		List<Path> binaries = new ArrayList<>();
		binaries.add(home.resolve("bin/java"));
		try (Stream<Path> files = Files.walk(home.resolve("lib"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(".so")).sorted().forEach(binaries::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return binaries;
	}

	/**
	 * The host libraries the binaries link (through {@code ldd}), plus the NSS libraries
	 * from libc's directory, runtime-local ones left out.
	 */
	private static Set<Path> hostLibraries(List<Path> binaries, Path runtime) {
		Set<Path> libraries = new TreeSet<>();
		List<String> command = new ArrayList<>();
		command.add("ldd");
		binaries.forEach((binary) -> command.add(binary.toString()));
		String output = run(command);
		Path libc = null;
		for (String line : output.split("\n")) {
			Matcher matcher = LDD_LINE.matcher(line.trim());
			if (!matcher.find()) {
				continue;
			}
			Path library = Path.of(matcher.group(1)).normalize();
			if (!library.startsWith(runtime) && Files.exists(library)) {
				libraries.add(library);
				if (library.getFileName().toString().startsWith("libc.so")) {
					libc = library;
				}
			}
		}
		if (libc == null) {
			throw new IllegalStateException("ldd found no glibc for " + binaries.get(0)
					+ ": a FROM scratch Java image needs a glibc-based Linux host; ldd said: " + output);
		}
		for (String name : NSS_LIBRARIES) {
			Path library = libc.resolveSibling(name);
			if (Files.exists(library)) {
				libraries.add(library);
			}
		}
		return libraries;
	}

	private static String run(List<String> command) {
		Path output = null;
		try {
			// Output to a file, so that waiting is bounded by the timeout alone: reading
			// a
			// pipe to its end first would block for ever on a hung command.
			output = Files.createTempFile("java-runtime-", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("Gave up waiting for " + command.get(0) + " after 2 minutes");
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			// ldd exits with 1 when one of several files is not dynamic; its output is
			// still
			// complete
			if (process.exitValue() != 0 && !command.get(0).equals("ldd")) {
				throw new IllegalStateException(command.get(0) + " failed (" + process.exitValue() + "): " + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command.get(0), ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// A temporary file left behind; nothing to do about it here.
				}
			}
		}
	}

}
