/**
 * Abortable HTTP transports that carry service proxy calls: a Spring WS message sender
 * over the Apache HttpClient 5 asynchronous client.
 */
@NullMarked
package io.github.cancellablesoap.transport;

import org.jspecify.annotations.NullMarked;
