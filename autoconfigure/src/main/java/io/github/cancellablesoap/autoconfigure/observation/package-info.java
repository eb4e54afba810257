/**
 * Auto-configuration of the metrics and observations of service proxies and hosts.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
