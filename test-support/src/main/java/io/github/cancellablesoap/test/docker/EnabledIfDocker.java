package io.github.cancellablesoap.test.docker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a Docker engine: it is tagged {@code docker}
 * and skipped, with a message saying why, where no engine answers; but where the
 * environment variable {@code CI} is {@code true} it fails instead, so that a CI run can
 * never skip the Docker tests silently. Inherited: on a base class it marks every
 * subclass.
 *
 * @author Cancellable SOAP
 * @see DockerCondition
 */
@Target({ ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("docker")
@ExtendWith(DockerCondition.class)
public @interface EnabledIfDocker {

}
