/**
 * Auto-configuration of service hosts.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
