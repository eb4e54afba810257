/**
 * Unit tests of the operator service.
 */
@NullMarked
package io.github.cancellablesoap.operator;

import org.jspecify.annotations.NullMarked;
