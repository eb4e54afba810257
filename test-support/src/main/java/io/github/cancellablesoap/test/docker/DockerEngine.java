package io.github.cancellablesoap.test.docker;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, as Testcontainers finds it (the environment variables
 * {@code DOCKER_HOST}, {@code TESTCONTAINERS_*} and the usual socket), asked once per
 * JVM.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class DockerEngine {

	private static volatile @Nullable Optional<String> unavailable;

	private DockerEngine() {
	}

	/**
	 * Why no engine can be used, or empty when one answers.
	 * @return the reason, from Testcontainers' own diagnosis
	 */
	public static Optional<String> unavailableReason() {
		Optional<String> known = unavailable;
		if (known == null) {
			synchronized (DockerEngine.class) {
				known = unavailable;
				if (known == null) {
					known = ask();
					unavailable = known;
				}
			}
		}
		return known;
	}

	private static Optional<String> ask() {
		try {
			DockerClientFactory.instance().client().pingCmd().exec();
			return Optional.empty();
		}
		catch (RuntimeException | LinkageError ex) {
			String message = ex.getMessage();
			return Optional.of(ex.getClass().getSimpleName() + ((message != null) ? ": " + message : ""));
		}
	}

}
