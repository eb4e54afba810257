package io.github.cancellablesoap.test.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.cancellablesoap.test.docker.fixture.Greeter;
import com.github.dockerjava.api.exception.DockerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link JavaImage}: a class path and a main class from this module's test
 * classes, in a {@code FROM scratch} image of the running JDK's runtime.
 */
@EnabledIfDocker
class JavaImageTests {

	private static final String REPOSITORY = "faults-test-greeter";

	private static final String RUNTIME_REPOSITORY = "faults-java-runtime";

	@AfterAll
	static void removeTheApplicationImagesThisJvmBuilt() {
		// Only this JVM's (another run may use the others), never by force; the runtime
		// images stay: they are the cache the next run reuses.
		for (String name : ImageBuilds.builtByThisJvm()) {
			if (name.startsWith(REPOSITORY + ":")) {
				try {
					DockerClientFactory.instance().client().removeImageCmd(name).exec();
				}
				catch (DockerException ex) {
					// In use by a container of another run: that run removes it.
				}
			}
		}
	}

	@Test
	void aMainClassRunsOnTheRuntimeOfTheRunningJdk() {
		JavaImage image = greeter();
		assertThat(image.name()).startsWith(REPOSITORY + ":");
		assertThat(image.runtimeName()).startsWith(RUNTIME_REPOSITORY + ":");
		assertThat(image.javaFeatureVersion()).isEqualTo(Runtime.version().feature());
		try (GenericContainer<?> container = new GenericContainer<>(image.dockerImageName())
			.withCreateContainerCmdModifier(
					(cmd) -> cmd.withName("faults-test-greeter-" + ProcessHandle.current().pid()))
			.withCommand("hello", "world")
			.withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
			container.start();
			assertThat(container.getLogs()).contains("java " + Runtime.version().feature() + " says hello world");
		}
	}

	@Test
	void theSameContentIsBuiltOnceAndFoundAgain() {
		JavaImage first = greeter();
		String firstId = imageId(first.name());
		Set<String> builtBefore = ImageBuilds.builtByThisJvm();
		JavaImage second = greeter();
		assertThat(second).isEqualTo(first);
		assertThat(imageId(second.name())).as("the same image, found").isEqualTo(firstId);
		assertThat(ImageBuilds.builtByThisJvm()).as("not rebuilt").isEqualTo(builtBefore);
		JavaImage other = JavaImage.builder(REPOSITORY)
			.runtimeRepository(RUNTIME_REPOSITORY)
			.classPath(List.of(classes()), Greeter.class.getName())
			.jvmArguments("-Xmx64m")
			.build();
		assertThat(other.name()).as("other JVM arguments, another image").isNotEqualTo(first.name());
		assertThat(other.runtimeName()).isEqualTo(first.runtimeName());
	}

	@Test
	void anotherModuleSetIsAnotherRuntime() {
		JavaImage small = JavaImage.builder(REPOSITORY)
			.runtimeRepository(RUNTIME_REPOSITORY)
			.modules(Set.of("java.base"))
			.classPath(List.of(classes()), Greeter.class.getName())
			.build();
		assertThat(small.runtimeName()).isNotEqualTo(greeter().runtimeName());
		try (GenericContainer<?> container = new GenericContainer<>(small.dockerImageName()).withCommand("small")
			.withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
			container.start();
			assertThat(container.getLogs()).contains("says small");
		}
		// its runtime image stays, as a cache: the next run finds it by the same tag
	}

	@Test
	void badInputIsRefusedWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> JavaImage.builder("Upper Case"))
			.withMessageContaining("not a Docker repository name");
		assertThatIllegalStateException().isThrownBy(() -> JavaImage.builder(REPOSITORY).build())
			.withMessageContaining("either a jar or a class path");
		assertThatIllegalStateException()
			.isThrownBy(() -> JavaImage.builder(REPOSITORY).jar(Path.of("target/no-such.jar")).build())
			.withMessageContaining("does not exist");
	}

	private static JavaImage greeter() {
		return JavaImage.builder(REPOSITORY)
			.runtimeRepository(RUNTIME_REPOSITORY)
			.classPath(List.of(classes()), Greeter.class.getName())
			.build();
	}

	private static String imageId(String name) {
		return DockerClientFactory.instance().client().inspectImageCmd(name).exec().getId();
	}

	private static Path classes() {
		return Path.of("target", "test-classes");
	}

}
