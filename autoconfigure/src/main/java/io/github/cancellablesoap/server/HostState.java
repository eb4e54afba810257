package io.github.cancellablesoap.server;

import io.github.cancellablesoap.core.Lifecycle;

/**
 * The life-cycle states of a {@link ServiceHost}: the states of {@link Lifecycle.State},
 * which documents each one and the table of verbs by state. Only an OPEN host admits
 * requests; CLOSING refuses new ones while running operations finish within the close
 * timeout; a CLOSED or FAULTED one refuses them until reset and opened again.
 *
 * @author Cancellable SOAP
 */
public enum HostState {

	CREATED, OPENING, OPEN, CLOSING, CLOSED, FAULTED

}
