/**
 * Tests of caller-gone detectors.
 */
@NullMarked
package io.github.cancellablesoap.server.detect;

import org.jspecify.annotations.NullMarked;
