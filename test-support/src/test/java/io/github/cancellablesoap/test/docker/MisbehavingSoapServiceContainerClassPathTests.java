package io.github.cancellablesoap.test.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.cancellablesoap.test.MisbehavingSoapServiceMain;
import org.apache.hc.core5.http.HttpException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for what {@link MisbehavingSoapServiceContainer} puts in its image and refuses,
 * without Docker.
 */
class MisbehavingSoapServiceContainerClassPathTests {

	@Test
	void theClassPathIsWhereTheServiceAndHttpCoreWereLoadedFrom() {
		List<Path> classPath = MisbehavingSoapServiceContainer.classPath();

		assertThat(classPath).hasSize(2).allSatisfy((entry) -> assertThat(entry).exists());
		// this module's own tests load it from target/classes, other modules from its jar
		Path service = classPath.get(0);
		assertThat(Files.isDirectory(service) ? service.resolve("io/github/cancellablesoap/test") : service).exists();
		assertThat(service).isEqualTo(MisbehavingSoapServiceContainer.codeSource(MisbehavingSoapServiceMain.class));
		assertThat(classPath.get(1).getFileName().toString()).startsWith("httpcore5-").endsWith(".jar");
		assertThat(classPath.get(1)).isEqualTo(MisbehavingSoapServiceContainer.codeSource(HttpException.class));
	}

	@Test
	void aClassWithoutAFileToCopyIsRefusedWithTheReason() {
		assertThatIllegalStateException().isThrownBy(() -> MisbehavingSoapServiceContainer.codeSource(String.class))
			.withMessageContaining("java.lang.String")
			.withMessageContaining("no code source");
	}

	@Test
	void badSettingsAreRefusedBeforeAnythingStarts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MisbehavingSoapServiceContainer.builder().maxRequestBodyBytes(0))
			.withMessageContaining("maxRequestBodyBytes must be at least 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MisbehavingSoapServiceContainer.builder().repository("Not A Name"))
			.withMessageContaining("not a Docker repository name");
		MisbehavingSoapServiceContainer notStarted = new MisbehavingSoapServiceContainer();
		assertThatIllegalStateException().isThrownBy(notStarted::port).withMessageContaining("start it first");
		notStarted.close();
	}

}
