package io.github.cancellablesoap.autoconfigure.actuate;

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
		// every spelling Boot binds: cancellable-soap.x.password,
		// cancellableSoap.x.password,
		// CANCELLABLE_SOAP_X_PASSWORD (letters and digits compared, case ignored)
		String prefix = canonical(CancellableSoapProperties.PREFIX);
		return SanitizingFunction.sanitizeValue().ifKeyMatches((key) -> {
			String canonical = canonical(key);
			return canonical.startsWith(prefix) && canonical.endsWith("password");
		});
	}

	private static String canonical(String key) {
		StringBuilder letters = new StringBuilder(key.length());
		for (int i = 0; i < key.length(); i++) {
			char ch = key.charAt(i);
			if (Character.isLetterOrDigit(ch)) {
				letters.append(Character.toLowerCase(ch));
			}
		}
		return letters.toString();
	}

}
