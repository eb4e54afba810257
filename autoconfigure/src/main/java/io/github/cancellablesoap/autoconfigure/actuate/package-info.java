/**
 * Auto-configuration of health contributors and operator endpoints.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
