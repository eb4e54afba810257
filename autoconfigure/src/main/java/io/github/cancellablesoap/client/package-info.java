/**
 * Client service proxies: named, stateful Spring WS clients whose calls are tracked and
 * can be abandoned, aborted or timed out.
 */
@NullMarked
package io.github.cancellablesoap.client;

import org.jspecify.annotations.NullMarked;
