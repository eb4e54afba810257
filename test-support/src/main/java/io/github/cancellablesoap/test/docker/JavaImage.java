package io.github.cancellablesoap.test.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.testcontainers.utility.DockerImageName;

/**
 * A Docker image that runs a Java application, built locally with no registry: a
 * {@code FROM scratch} image of a jlink'ed runtime of the running JDK (Java 17 or later)
 * plus the glibc libraries it needs, and on top of it the application (a jar run with
 * {@code -jar}, or a class path and a main class).
 * <p>
 * Images are built through Testcontainers' Docker client and tagged with a hash of what
 * they are made of: the runtime image {@code <runtime-repository>:<runtime-hash>} (the
 * JDK, the modules, the libraries) and the application image
 * {@code <repository>:<runtime-hash>-<application-hash>}. An image whose tag exists is
 * reused, within a JVM and across runs; building a new application image removes older
 * ones of the same repository and runtime that no container uses. Example:
 *
 * <pre class="code">
 * JavaImage image = JavaImage.builder("my-app").jar(Path.of("target/my-app.jar")).build();
 * try (GenericContainer&lt;?&gt; app = new GenericContainer&lt;&gt;(image.dockerImageName())
 *     .withCommand("--server.port=8080").withExposedPorts(8080)) {
 *     app.start();
 * }
 * </pre>
 * <p>
 * The image's entry point is {@code java}, its JVM arguments and the application; a
 * container's command adds the application's arguments.
 * <p>
 * Immutable and thread-safe; {@link Builder#build()} may be called from any thread
 * (builds are serialized).
 *
 * @param name the image's name with its tag
 * @param runtimeName the runtime image it is built on
 * @param javaFeatureVersion the Java feature version of the runtime (that of the running
 * JDK)
 * @author Cancellable SOAP
 */
public record JavaImage(String name, String runtimeName, int javaFeatureVersion) {

	/**
	 * The modules a Spring Boot web application needs (Tomcat, Spring WS, SAAJ, actuator,
	 * HTTP clients), the default of {@link Builder#modules(Set)}. Modules the running JDK
	 * lacks are left out.
	 */
	public static final Set<String> SPRING_BOOT_MODULES = Set.of("java.base", "java.xml", "java.naming",
			"java.management", "jdk.management", "jdk.unsupported", "java.logging", "java.net.http", "java.sql",
			"java.instrument", "java.security.jgss", "jdk.crypto.ec", "java.desktop", "java.scripting", "jdk.net",
			"jdk.naming.dns", "jdk.zipfs", "jdk.httpserver");

	/** The default repository of runtime images. */
	public static final String DEFAULT_RUNTIME_REPOSITORY = "cancellable-soap-java-runtime";

	private static final Pattern REPOSITORY = Pattern
		.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");

	/**
	 * The image's name as Testcontainers takes it.
	 * @return the parsed name
	 */
	public DockerImageName dockerImageName() {
		return DockerImageName.parse(this.name);
	}

	/**
	 * Start building an application image.
	 * @param repository the image repository (lower case, such as {@code my-app}); the
	 * tag is computed
	 * @return a builder
	 */
	public static Builder builder(String repository) {
		return new Builder(repository);
	}

	static String checkRepository(String repository) {
		if (!REPOSITORY.matcher(repository).matches()) {
			throw new IllegalArgumentException(
					"'" + repository + "' is not a Docker repository name: use lower-case letters, digits and . _ - /");
		}
		return repository;
	}

	/**
	 * Builds a {@link JavaImage}. Not thread-safe; the images it builds are.
	 */
	public static final class Builder {

		private final String repository;

		private String runtimeRepository = DEFAULT_RUNTIME_REPOSITORY;

		private Set<String> modules = SPRING_BOOT_MODULES;

		private @Nullable Path jar;

		private final List<Path> classPath = new ArrayList<>();

		private @Nullable String mainClass;

		private final List<String> jvmArguments = new ArrayList<>();

		Builder(String repository) {
			this.repository = checkRepository(repository);
		}

		/**
		 * The repository of the runtime image (default
		 * {@value JavaImage#DEFAULT_RUNTIME_REPOSITORY}).
		 * @param repository a lower-case repository name
		 * @return this builder
		 */
		public Builder runtimeRepository(String repository) {
			this.runtimeRepository = checkRepository(repository);
			return this;
		}

		/**
		 * The modules of the runtime (default {@link JavaImage#SPRING_BOOT_MODULES}).
		 * @param modules module names; those the JDK lacks are left out
		 * @return this builder
		 */
		public Builder modules(Set<String> modules) {
			this.modules = Set.copyOf(modules);
			return this;
		}

		/**
		 * Add modules to the runtime.
		 * @param modules module names
		 * @return this builder
		 */
		public Builder addModules(String... modules) {
			Set<String> all = new LinkedHashSet<>(this.modules);
			all.addAll(List.of(modules));
			this.modules = Set.copyOf(all);
			return this;
		}

		/**
		 * Run an executable jar ({@code java -jar}), such as a repackaged Spring Boot
		 * application.
		 * @param jar the jar
		 * @return this builder
		 */
		public Builder jar(Path jar) {
			this.jar = jar;
			return this;
		}

		/**
		 * Run a main class from a class path of jars and directories.
		 * @param classPath the class path entries
		 * @param mainClass the main class
		 * @return this builder
		 */
		public Builder classPath(List<Path> classPath, String mainClass) {
			this.classPath.clear();
			this.classPath.addAll(classPath);
			this.mainClass = mainClass;
			return this;
		}

		/**
		 * Arguments for the JVM, before the application (such as {@code -Xmx256m}).
		 * @param arguments the arguments
		 * @return this builder
		 */
		public Builder jvmArguments(String... arguments) {
			this.jvmArguments.addAll(List.of(arguments));
			return this;
		}

		/**
		 * Build the image, or find it built already.
		 * @return the image
		 * @throws IllegalStateException when the image cannot be built (no Docker engine,
		 * no {@code jlink}, a file that does not exist...)
		 */
		public JavaImage build() {
			if ((this.jar == null) == (this.mainClass == null)) {
				throw new IllegalStateException("Give either a jar or a class path and a main class");
			}
			List<Path> files = (this.jar != null) ? List.of(this.jar) : List.copyOf(this.classPath);
			for (Path file : files) {
				if (!Files.exists(file)) {
					throw new IllegalStateException(file + " does not exist: build it first");
				}
			}
			Path javaHome = Path.of(System.getProperty("java.home"));
			if (!Files.isExecutable(javaHome.resolve("bin/jlink"))) {
				throw new IllegalStateException(
						"The running Java (" + javaHome + ") has no bin/jlink: a Java image needs a full JDK");
			}
			JavaRuntime runtime = new JavaRuntime(javaHome, this.modules);
			String runtimeName = ImageBuilds.runtime(this.runtimeRepository, runtime);
			List<String> entryPoint = new ArrayList<>();
			entryPoint.add(JavaRuntime.JAVA_HOME + "/bin/java");
			entryPoint.addAll(this.jvmArguments);
			ApplicationLayout layout = (this.jar != null) ? ApplicationLayout.jar(this.jar)
					: ApplicationLayout.classPath(this.classPath, this.mainClass);
			entryPoint.addAll(layout.command());
			String name = ImageBuilds.application(this.repository.toLowerCase(Locale.ROOT), runtimeName, layout,
					entryPoint);
			return new JavaImage(name, runtimeName, Runtime.version().feature());
		}

	}

}
