package io.github.cancellablesoap.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration tests expect of a bad property: the context fails to start,
 * and the root cause names the property and says what to fix.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * Expect the start to fail on a property.
	 * @param <C> the context type
	 * @param property the property's full name
	 * @param message what the failure says
	 * @return the assertion
	 */
	public static <C extends ApplicationContextAssertProvider<?>> ContextConsumer<C> failsOn(String property,
			String message) {
		return (context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " ")
				.hasMessageContaining(message);
		};
	}

}
