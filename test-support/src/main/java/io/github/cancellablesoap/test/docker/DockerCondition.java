package io.github.cancellablesoap.test.docker;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link EnabledIfDocker}: enabled where a Docker engine answers;
 * otherwise disabled with the reason, or failed with it when the environment variable
 * {@code CI} says this is a CI run: {@code true}, {@code 1} or {@code yes}, in any case
 * (CI services set {@code CI=true}, some {@code CI=1}); any other value, or none, skips.
 * <p>
 * Thread-safe: the engine is asked once per JVM (see {@link DockerEngine}).
 *
 * @author Cancellable SOAP
 */
public final class DockerCondition implements ExecutionCondition {

	private final Supplier<Optional<String>> unavailable;

	private final Function<String, String> environment;

	/**
	 * A condition that asks the Docker engine Testcontainers finds and reads this
	 * process's environment.
	 */
	public DockerCondition() {
		this(DockerEngine::unavailableReason, System::getenv);
	}

	DockerCondition(Supplier<Optional<String>> unavailable, Function<String, String> environment) {
		this.unavailable = unavailable;
		this.environment = environment;
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<String> reason = this.unavailable.get();
		if (reason.isEmpty()) {
			return ConditionEvaluationResult.enabled("a Docker engine answers");
		}
		String message = "No Docker engine answers (" + reason.get() + "): the Docker tests of "
				+ context.getDisplayName() + " need one; install Docker or start its engine";
		String ci = this.environment.apply("CI");
		if (isCi(ci)) {
			throw new IllegalStateException(message + ". CI=" + ci + ": a CI run must not skip the Docker tests");
		}
		return ConditionEvaluationResult.disabled(message);
	}

	/**
	 * Whether a value of the environment variable {@code CI} says this is a CI run.
	 * @param value the value, {@code null} when the variable is not set
	 * @return {@code true} for {@code true}, {@code 1} or {@code yes}, in any case
	 */
	public static boolean isCi(@Nullable String value) {
		if (value == null) {
			return false;
		}
		String trimmed = value.trim();
		return trimmed.equalsIgnoreCase("true") || trimmed.equals("1") || trimmed.equalsIgnoreCase("yes");
	}

}
