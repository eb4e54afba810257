/**
 * Framework-free cancellation primitives: single-assignment outcomes, in-flight
 * registries, identifiers, clocks and timers shared by the client and server sides.
 */
@NullMarked
package io.github.cancellablesoap.core;

import org.jspecify.annotations.NullMarked;
