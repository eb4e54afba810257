package io.github.cancellablesoap.test.docker;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DockerCondition}, with a stand-in engine and environment.
 */
class DockerConditionTests {

	private final ExtensionContext context = (ExtensionContext) java.lang.reflect.Proxy.newProxyInstance(
			getClass().getClassLoader(), new Class<?>[] { ExtensionContext.class },
			(proxy, method, args) -> "getDisplayName".equals(method.getName()) ? "SomeDockerTests" : null);

	@Test
	void aTestRunsWhereAnEngineAnswers() {
		ConditionEvaluationResult result = new DockerCondition(Optional::empty, Map.of("CI", "true")::get)
			.evaluateExecutionCondition(this.context);
		assertThat(result.isDisabled()).isFalse();
	}

	@Test
	void aTestIsSkippedWithTheReasonWhereNoEngineAnswers() {
		ConditionEvaluationResult result = new DockerCondition(() -> Optional.of("no socket"),
				Map.<String, String>of()::get)
			.evaluateExecutionCondition(this.context);
		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason()).hasValueSatisfying((reason) -> assertThat(reason).contains("No Docker engine")
			.contains("no socket")
			.contains("SomeDockerTests"));
	}

	@Test
	void aTestFailsInsteadOfSkippingUnderCi() {
		DockerCondition condition = new DockerCondition(() -> Optional.of("no socket"), Map.of("CI", "true")::get);
		assertThatIllegalStateException().isThrownBy(() -> condition.evaluateExecutionCondition(this.context))
			.withMessageContaining("no socket")
			.withMessageContaining("CI=true");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "yes", "YES", "True", "TRUE" })
	void everyUsualSpellingOfCiFails(String ci) {
		DockerCondition condition = new DockerCondition(() -> Optional.of("no socket"), Map.of("CI", ci)::get);
		assertThatIllegalStateException().isThrownBy(() -> condition.evaluateExecutionCondition(this.context))
			.withMessageContaining("CI=" + ci);
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "0", "no", "" })
	void ciOtherThanTrueStillSkips(String ci) {
		ConditionEvaluationResult result = new DockerCondition(() -> Optional.of("no socket"), Map.of("CI", ci)::get)
			.evaluateExecutionCondition(this.context);
		assertThat(result.isDisabled()).isTrue();
	}

}
