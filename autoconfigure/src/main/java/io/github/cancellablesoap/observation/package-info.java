/**
 * Micrometer metrics and observations of service proxy calls and service host operations.
 */
@NullMarked
package io.github.cancellablesoap.observation;

import org.jspecify.annotations.NullMarked;
