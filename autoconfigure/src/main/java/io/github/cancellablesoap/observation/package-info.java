/**
 * Micrometer metrics and observations of service proxy calls.
 */
@NullMarked
package io.github.cancellablesoap.observation;

import org.jspecify.annotations.NullMarked;
