/**
 * Tests of the service host auto-configuration.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
