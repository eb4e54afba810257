package io.github.cancellablesoap.server;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A named set of Spring WS endpoints served under one path, with its own state machine
 * and its own listener (the intake), whose running operations can be listed and
 * cancelled.
 * <p>
 * All methods are thread-safe. State changes are atomic; a method called in a state where
 * it is not allowed throws {@link IllegalStateException} naming the host and its state.
 * {@link #abort} and {@link #abortListener} are idempotent and report whether they
 * changed anything.
 *
 * @author Cancellable SOAP
 */
public interface ServiceHost {

	/**
	 * The host's name, unique in the application.
	 * @return the name
	 */
	String name();

	/**
	 * The host's current state.
	 * @return the state
	 */
	HostState state();

	/**
	 * The current state of the host's listener.
	 * @return the listener state
	 */
	ListenerState listenerState();

	/**
	 * Start admitting requests: CREATED→OPEN. A no-op when the host is already open.
	 * @throws IllegalStateException in any other state
	 */
	void open();

	/**
	 * Abort the host: OPEN→FAULTED, CLOSING→CLOSED. The listener faults, every running
	 * operation is cancelled with {@link CancelReason#HOST_ABORTED}, and this method
	 * waits up to the host's abort grace for them to return, then interrupts the threads
	 * of those that have not. In any other state it does nothing.
	 * @param reason why, for logs and the operations' faults; may be {@code null}
	 * @return {@code true} when the host was open or closing and is now aborted
	 */
	boolean abort(@Nullable String reason);

	/**
	 * Close the host gracefully: OPEN|FAULTED→CLOSING→CLOSED. The listener stops
	 * admitting, running operations may finish within the close timeout, then those left
	 * are cancelled with {@link CancelReason#HOST_CLOSE_TIMED_OUT} and treated like an
	 * abort (abort grace, then interrupt). Returns when the host is CLOSED; a no-op when
	 * it is already closing or closed.
	 * @throws IllegalStateException when the host is CREATED or OPENING
	 */
	void close();

	/**
	 * Make a closed or faulted host reusable: CLOSED|FAULTED→CREATED.
	 * @throws IllegalStateException in any other state
	 */
	void reset();

	/**
	 * Abort only the listener: new requests are refused and requests still being received
	 * are dropped; running operations go on.
	 * @param reason why, for logs; may be {@code null}
	 * @return {@code true} when the listener was open and is now faulted
	 */
	boolean abortListener(@Nullable String reason);

	/**
	 * Reopen a faulted listener of an open host.
	 * @throws IllegalStateException when the host is not OPEN or the listener is not
	 * FAULTED
	 */
	void resetListener();

	/**
	 * A snapshot of the operations running now.
	 * @return immutable descriptions, oldest first
	 */
	List<OperationInfo> operations();

	/**
	 * A snapshot of one running operation.
	 * @param operationId the operation's id
	 * @return its description, or empty when no such operation is running
	 */
	Optional<OperationInfo> operation(String operationId);

	/**
	 * Cancel one running operation with reason {@link CancelReason#OPERATOR}.
	 * @param operationId the operation's id
	 * @param reason why, for logs and the operation's fault; may be {@code null}
	 * @return {@code true} when this call cancelled it; {@code false} when it is unknown,
	 * already finished, already writing its answer (sealed) or already cancelled
	 */
	boolean cancel(String operationId, @Nullable String reason);

}
