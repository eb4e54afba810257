/**
 * Framework-free cancellation primitives: single-assignment outcomes, in-flight
 * registries, identifiers, clocks and timers shared by the client and server sides, and
 * the rules both sides share: the lifecycle state table and verbs, names and paths, and
 * how an operation is named.
 */
@NullMarked
package io.github.cancellablesoap.core;

import org.jspecify.annotations.NullMarked;
