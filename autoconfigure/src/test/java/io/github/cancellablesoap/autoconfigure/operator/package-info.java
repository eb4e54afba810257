/**
 * Tests of the operator surface: the soapcalls endpoint and the abort controller over
 * real HTTP, with and without Spring Security.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.operator;

import org.jspecify.annotations.NullMarked;
