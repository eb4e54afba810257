package io.github.cancellablesoap.autoconfigure;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of what proxies and hosts share: the {@code cancellable-soap}
 * properties, the one {@link CancellationTimer} that enforces their deferred limits and
 * the one {@link CallbackExecutor} that runs applications' callbacks. Both are closed
 * when the context is, after the hosts and proxies that use them (they stop in their
 * lifecycle phase, before beans are destroyed).
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration
@ConditionalOnCancellableSoapEnabled
@EnableConfigurationProperties(CancellableSoapProperties.class)
public final class CancellableSoapAutoConfiguration {

	/** The most callback threads the property accepts. */
	static final int MAX_CALLBACK_THREADS = 1024;

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	CancellationTimer cancellationTimer() {
		return new CancellationTimer("soap");
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CallbackExecutor callbackExecutor(CancellableSoapProperties properties) {
		int maxThreads = properties.getCallbacks().getMaxThreads();
		if (maxThreads < 1 || maxThreads > MAX_CALLBACK_THREADS) {
			throw new InvalidConfigurationPropertyValueException(
					CancellableSoapProperties.PREFIX + ".callbacks.max-threads", maxThreads,
					"It must be between 1 and " + MAX_CALLBACK_THREADS);
		}
		return new CallbackExecutor(maxThreads);
	}

}
