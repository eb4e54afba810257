package io.github.cancellablesoap.autoconfigure.actuate;

import java.util.Locale;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that keeps the starter's passwords out of
 * {@code /actuator/configprops} and {@code /actuator/env} even where their values are
 * shown ({@code management.endpoint.configprops.show-values=always}): Boot masks every
 * value by default, but once values are shown it masks only what a
 * {@link SanitizingFunction} says, so this one masks every {@code cancellable-soap.*} key
 * that ends in {@code password} (service credentials, forward-proxy credentials).
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class CredentialsSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "cancellableSoapCredentialsSanitizer")
	SanitizingFunction cancellableSoapCredentialsSanitizer() {
		String prefix = CancellableSoapProperties.PREFIX + ".";
		return SanitizingFunction.sanitizeValue().ifKeyMatches((key) -> {
			String lower = key.toLowerCase(Locale.ROOT);
			return lower.startsWith(prefix) && lower.endsWith("password");
		});
	}

}
