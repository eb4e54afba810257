/**
 * Auto-configuration of service proxies.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
