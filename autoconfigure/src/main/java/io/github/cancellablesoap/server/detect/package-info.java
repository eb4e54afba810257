/**
 * Caller-gone detectors: they notice that the client of a running operation closed its
 * connection, which servlet containers do not report while a request is being served.
 */
@NullMarked
package io.github.cancellablesoap.server.detect;

import org.jspecify.annotations.NullMarked;
