/**
 * Health indicators of service proxies and hosts.
 */
@NullMarked
package io.github.cancellablesoap.actuate.health;

import org.jspecify.annotations.NullMarked;
