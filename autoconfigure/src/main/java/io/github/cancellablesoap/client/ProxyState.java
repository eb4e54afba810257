package io.github.cancellablesoap.client;

import io.github.cancellablesoap.core.Lifecycle;

/**
 * The lifecycle states of a {@link ServiceProxy}, after the WWSAPI service proxy state
 * machine: the states of {@link Lifecycle.State}, which documents each one and the table
 * of verbs by state. Only an OPEN proxy accepts calls; a CLOSED or FAULTED one refuses
 * them until {@link ServiceProxy#reset()}.
 *
 * @author Cancellable SOAP
 */
public enum ProxyState {

	CREATED, OPENING, OPEN, CLOSING, CLOSED, FAULTED

}
