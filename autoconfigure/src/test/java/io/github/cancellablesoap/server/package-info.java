/**
 * Tests of service hosts against a real embedded Tomcat.
 */
@NullMarked
package io.github.cancellablesoap.server;

import org.jspecify.annotations.NullMarked;
