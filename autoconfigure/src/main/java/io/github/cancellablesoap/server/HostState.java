package io.github.cancellablesoap.server;

/**
 * The life-cycle states of a {@link ServiceHost}.
 * <p>
 * open() CREATED→OPEN; close() OPEN|FAULTED→CLOSING→CLOSED; abort() OPEN→FAULTED and
 * CLOSING→CLOSED; reset() CLOSED|FAULTED→CREATED.
 *
 * @author Cancellable SOAP
 */
public enum HostState {

	/** Built or reset, not yet admitting requests. */
	CREATED,

	/** Being opened. */
	OPENING,

	/** Admitting and serving requests. */
	OPEN,

	/**
	 * Refusing new requests while running operations finish, within the close timeout.
	 */
	CLOSING,

	/** Closed; refuses requests until reset and opened again. */
	CLOSED,

	/** Aborted; refuses requests until reset and opened again. */
	FAULTED

}
