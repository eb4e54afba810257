package io.github.cancellablesoap.server;

import java.util.List;
import java.util.Optional;

import io.github.cancellablesoap.core.LifecycleVerbs;
import io.github.cancellablesoap.core.VerbResult;
import org.jspecify.annotations.Nullable;

/**
 * A named set of Spring WS endpoints served under one path, with its own state machine
 * and its own listener (the intake), whose running operations can be listed and
 * cancelled.
 * <p>
 * Its name, state and lifecycle verbs ({@code open}, {@code abort}, {@code close},
 * {@code reset} and their {@code *AndReport} forms) are those that proxies share
 * ({@link LifecycleVerbs}).
 * <p>
 * All methods are thread-safe. State changes are atomic and follow the state table that
 * proxies share ({@link io.github.cancellablesoap.core.Lifecycle}); a method called in a
 * state where it is not allowed throws {@link IllegalStateException} naming the host and
 * its state. {@link #abort} and {@link #abortListener} are idempotent and report whether
 * they changed anything.
 *
 * @author Cancellable SOAP
 */
public interface ServiceHost extends LifecycleVerbs<HostState> {

	/**
	 * The current state of the host's listener.
	 * @return the listener state
	 */
	ListenerState listenerState();

	/**
	 * Start admitting requests: CREATED to OPEN; a no-op when the host is already open.
	 * Say what that did.
	 * @return the states before and after
	 * @throws IllegalStateException when the host is neither CREATED nor OPEN
	 */
	@Override
	VerbResult openAndReport();

	/**
	 * Abort the host: OPEN to FAULTED, CLOSING to CLOSED, OPENING to CREATED. The
	 * listener faults, every running operation is cancelled with
	 * {@link CancelReason#HOST_ABORTED}, and this method waits up to the host's abort
	 * grace for them to return, then interrupts the threads of those that have not. In
	 * any other state it does nothing. Say what that did.
	 * @param reason why, for logs and the operations' faults; may be {@code null}
	 * @return the states before and after, and how many running operations were cancelled
	 * ({@code ioCancelled} is {@code false}: cancelling an operation closes no
	 * connection)
	 */
	@Override
	VerbResult abortAndReport(@Nullable String reason);

	/**
	 * Close the host gracefully: OPEN|FAULTED to CLOSING to CLOSED. The listener stops
	 * admitting, running operations may finish within the close timeout, then those left
	 * are cancelled with {@link CancelReason#HOST_CLOSE_TIMED_OUT} and treated like an
	 * abort (abort grace, then interrupt). Returns when the host is CLOSED. CREATED goes
	 * to CLOSED at once (nothing to drain); a no-op when it is already closing or closed.
	 * Say what that did.
	 * @return the states before and after, and how many operations ran when the close
	 * began
	 * @throws IllegalStateException when the host is OPENING
	 */
	@Override
	VerbResult closeAndReport();

	/**
	 * Make a closed or faulted host reusable (CLOSED|FAULTED to CREATED), and say what
	 * that did.
	 * @return the states before and after
	 * @throws IllegalStateException when the host is neither CLOSED nor FAULTED
	 */
	@Override
	VerbResult resetAndReport();

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
