/**
 * Docker for tests without a registry:
 * {@link io.github.cancellablesoap.test.docker.JavaImage} builds a {@code FROM scratch}
 * image of a jlink'ed Java runtime and an application, and
 * {@link io.github.cancellablesoap.test.docker.EnabledIfDocker} runs a test only where a
 * Docker engine answers (and fails it under {@code CI=true} where none does);
 * {@link io.github.cancellablesoap.test.docker.MisbehavingSoapServiceContainer} runs the
 * misbehaving SOAP service in a container, to pause, kill or cut off.
 */
@NullMarked
package io.github.cancellablesoap.test.docker;

import org.jspecify.annotations.NullMarked;
