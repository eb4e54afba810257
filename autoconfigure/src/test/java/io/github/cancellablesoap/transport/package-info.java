/**
 * Unit tests of the HttpClient 5 transport's parts.
 */
@NullMarked
package io.github.cancellablesoap.transport;

import org.jspecify.annotations.NullMarked;
