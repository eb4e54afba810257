package io.github.cancellablesoap.autoconfigure.server;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.core.CallbackExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one {@link CallbackExecutor}: its size property, its validation, the application's
 * own bean winning, and its shutdown with the context.
 */
class CallbackExecutorAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(CancellableSoapAutoConfiguration.class, WebServicesAutoConfiguration.class,
						ServiceProxyAutoConfiguration.class, ServiceHostAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.hosts.main.path=/soap");

	@Test
	void declaresOneExecutorWithTheDefaultSizeThatClosesWithTheContext() {
		CallbackExecutor[] seen = new CallbackExecutor[1];
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(CallbackExecutor.class);
			seen[0] = context.getBean(CallbackExecutor.class);
			assertThat(seen[0].maxThreads()).isEqualTo(CallbackExecutor.DEFAULT_MAX_THREADS);
			assertThat(seen[0].isClosed()).isFalse();
		});
		assertThat(seen[0].isClosed()).isTrue();
	}

	@Test
	void takesItsSizeFromTheProperty() {
		this.runner.withPropertyValues("cancellable-soap.callbacks.max-threads=4")
			.run((context) -> assertThat(context.getBean(CallbackExecutor.class).maxThreads()).isEqualTo(4));
	}

	@Test
	void refusesASizeOutsideItsBoundsNamingTheProperty() {
		for (String size : new String[] { "0", "-1", "100000" }) {
			this.runner.withPropertyValues("cancellable-soap.callbacks.max-threads=" + size).run((context) -> {
				assertThat(context).hasFailed();
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("cancellable-soap.callbacks.max-threads")
					.hasMessageContaining("between 1 and");
			});
		}
	}

	@Test
	void usesTheApplicationsOwnExecutor() {
		this.runner.withUserConfiguration(OwnExecutor.class).run((context) -> {
			assertThat(context).hasSingleBean(CallbackExecutor.class);
			assertThat(context.getBean(CallbackExecutor.class).maxThreads()).isEqualTo(3);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnExecutor {

		@Bean
		CallbackExecutor ownCallbackExecutor() {
			return new CallbackExecutor(3);
		}

	}

}
