/**
 * Unit tests of the framework-free core.
 */
@NullMarked
package io.github.cancellablesoap.core;

import org.jspecify.annotations.NullMarked;
