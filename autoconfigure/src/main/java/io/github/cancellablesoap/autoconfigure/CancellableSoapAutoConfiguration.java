package io.github.cancellablesoap.autoconfigure;

import io.github.cancellablesoap.core.CancellationTimer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of what proxies and hosts share: the {@code cancellable-soap}
 * properties and the one {@link CancellationTimer} that enforces their deferred limits.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration
@ConditionalOnCancellableSoapEnabled
@EnableConfigurationProperties(CancellableSoapProperties.class)
public final class CancellableSoapAutoConfiguration {

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	CancellationTimer cancellationTimer() {
		return new CancellationTimer("soap");
	}

}
