package io.github.cancellablesoap.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches unless {@code cancellable-soap.enabled} is {@code false}: the master switch of
 * every cancellable SOAP auto-configuration.
 *
 * @author Cancellable SOAP
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnProperty(prefix = CancellableSoapProperties.PREFIX, name = "enabled", havingValue = "true",
		matchIfMissing = true)
public @interface ConditionalOnCancellableSoapEnabled {

}
