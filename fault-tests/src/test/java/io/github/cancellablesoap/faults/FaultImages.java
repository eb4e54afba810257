package io.github.cancellablesoap.faults;

import java.nio.file.Path;

import io.github.cancellablesoap.test.docker.JavaImage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images of the fault tests, built once per JVM (and reused across runs while their
 * content is the same): the sample application's repackaged jar on the runtime image the
 * module's containers share.
 * <p>
 * Thread-safe.
 */
final class FaultImages {

	static final String RUNTIME_REPOSITORY = "faults-java-runtime";

	private static JavaImage sample;

	private FaultImages() {
	}

	static synchronized JavaImage sample() {
		if (sample == null) {
			String jar = System.getProperty("sample.jar");
			assertThat(jar).as("the sample jar (system property sample.jar), built by sample-app's package phase")
				.isNotNull();
			assertThat(Path.of(jar)).as("the sample jar: build sample-app first (mvn -pl fault-tests -am verify)")
				.exists();
			sample = JavaImage.builder("faults-sample-app")
				.runtimeRepository(RUNTIME_REPOSITORY)
				.jar(Path.of(jar))
				.jvmArguments("-Xmx256m", "-XX:TieredStopAtLevel=1")
				.build();
		}
		return sample;
	}

}
