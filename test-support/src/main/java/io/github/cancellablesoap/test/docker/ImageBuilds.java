package io.github.cancellablesoap.test.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the images behind {@link JavaImage} with Testcontainers' Docker client, once per
 * content: a name already built by this JVM, or present in the engine from an earlier
 * run, is returned as it is.
 * <p>
 * Thread-safe: builds are serialized on the class (two builds would only share two cores
 * anyway).
 *
 * @author Cancellable SOAP
 */
final class ImageBuilds {

	/** The label every image built here carries, with its kind as the value. */
	static final String LABEL = "io.github.cancellablesoap.test.image";

	private static final Log logger = LogFactory.getLog(JavaImage.class);

	/** Runtime image names by JDK and module set, for this JVM. Guarded by the class. */
	private static final Map<String, String> runtimes = new HashMap<>();

	/** The image names this JVM built. Guarded by the class. */
	private static final Set<String> built = new LinkedHashSet<>();

	/**
	 * How old another image of a repository must be before a build removes it: younger
	 * ones may belong to a run going on beside this one.
	 */
	static final Duration REMOVABLE_AGE = Duration.ofHours(1);

	private ImageBuilds() {
	}

	/**
	 * The runtime image: {@code <repository>:<runtime hash>}, {@code FROM scratch}.
	 */
	static synchronized String runtime(String repository, JavaRuntime runtime) {
		String jvmKey = repository + "|" + System.getProperty("java.home") + "|" + runtime.modules();
		String known = runtimes.get(jvmKey);
		if (known != null) {
			return known;
		}
		String name = repository + ":" + runtime.key().substring(0, 16);
		if (!exists(name)) {
			long start = System.nanoTime();
			Path context = temporaryDirectory("java-runtime-");
			try {
				runtime.assemble(context.resolve("rootfs"));
				String dockerfile = String.join("\n", "FROM scratch", "COPY rootfs/ /",
						"ENV JAVA_HOME=" + JavaRuntime.JAVA_HOME + " PATH=" + JavaRuntime.JAVA_HOME + "/bin",
						"LABEL " + LABEL + "=java-runtime", "");
				build(name, dockerfile, Map.of("rootfs", context.resolve("rootfs")));
			}
			finally {
				delete(context);
			}
			logger.info("Built the Java runtime image " + name + " (Java " + Runtime.version().feature() + ", modules "
					+ runtime.modules() + ") in " + millis(start) + " ms");
		}
		runtimes.put(jvmKey, name);
		return name;
	}

	/**
	 * The application image: {@code <repository>:<runtime hash>-<application hash>},
	 * {@code FROM} the runtime image.
	 */
	static synchronized String application(String repository, String runtimeName, ApplicationLayout layout,
			List<String> entryPoint) {
		ContentHash hash = new ContentHash().add("java-application-v1").add(runtimeName);
		layout.addTo(hash);
		hash.add(String.join("\u0000", entryPoint));
		String runtimeTag = runtimeName.substring(runtimeName.lastIndexOf(':') + 1, runtimeName.lastIndexOf(':') + 13);
		String name = repository + ":" + runtimeTag + "-" + hash.hex().substring(0, 16);
		if (exists(name)) {
			return name;
		}
		long start = System.nanoTime();
		String dockerfile = String.join("\n", "FROM " + runtimeName, "COPY app/ /app/", "WORKDIR /app",
				"LABEL " + LABEL + "=java-application", "ENTRYPOINT " + jsonArray(entryPoint), "");
		Map<String, Path> files = layout.files()
			.stream()
			.collect(Collectors.toMap((entry) -> "app/" + entry.target(), ApplicationLayout.Entry::source));
		build(name, dockerfile, files);
		logger.info("Built the application image " + name + " in " + millis(start) + " ms");
		removeOlder(repository, runtimeTag, name);
		return name;
	}

	/**
	 * The images this JVM built (not those it found), for a test to clean up after
	 * itself.
	 * @return image names, in build order
	 */
	static synchronized Set<String> builtByThisJvm() {
		return Set.copyOf(built);
	}

	private static void build(String name, String dockerfile, Map<String, Path> files) {
		ImageFromDockerfile image = new ImageFromDockerfile(name, false).withFileFromString("Dockerfile", dockerfile);
		files.forEach(image::withFileFromPath);
		try {
			image.get();
			built.add(name);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not build the image " + name, ex);
		}
	}

	private static boolean exists(String name) {
		try {
			client().inspectImageCmd(name).exec();
			return true;
		}
		catch (NotFoundException ex) {
			return false;
		}
	}

	/**
	 * Remove the other images of a repository built on the same runtime: each build of an
	 * application leaves one. Only images older than {@link #REMOVABLE_AGE} and not built
	 * by this JVM are removed (a younger one may be in use by a run beside this one), and
	 * never by force: an image a container uses cannot be removed, and is left alone.
	 */
	private static void removeOlder(String repository, String runtimeTag, String keep) {
		long removableBefore = Instant.now().minus(REMOVABLE_AGE).getEpochSecond();
		List<Image> images = client().listImagesCmd().withImageNameFilter(repository).exec();
		for (Image image : images) {
			if (image.getCreated() == null || image.getCreated() > removableBefore) {
				continue;
			}
			for (String tag : (image.getRepoTags() != null) ? image.getRepoTags() : new String[0]) {
				if (tag.startsWith(repository + ":" + runtimeTag + "-") && !tag.equals(keep) && !built.contains(tag)) {
					try {
						client().removeImageCmd(tag).exec();
						logger.debug("Removed the older image " + tag);
					}
					catch (DockerException ex) {
						logger.debug("Kept the older image " + tag + ": " + ex.getMessage());
					}
				}
			}
		}
	}

	private static DockerClient client() {
		return DockerClientFactory.instance().client();
	}

	static String jsonArray(List<String> values) {
		return values.stream()
			.map((value) -> "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
			.collect(Collectors.joining(", ", "[", "]"));
	}

	private static Path temporaryDirectory(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not delete " + dir + ": " + ex.getMessage());
		}
	}

	private static long millis(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

}
