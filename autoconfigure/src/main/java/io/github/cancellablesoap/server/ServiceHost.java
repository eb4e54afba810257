package io.github.cancellablesoap.server;

import java.util.List;
import java.util.Optional;

import io.github.cancellablesoap.core.LifecycleVerbs;
import org.jspecify.annotations.Nullable;

/**
 * A named set of Spring WS endpoints served under one path, with its own state machine
 * and its own listener (the intake), whose running operations can be listed and
 * cancelled.
 * <p>
 * Its name, state and lifecycle verbs ({@code open}, {@code abort}, {@code close},
 * {@code reset} and their {@code *AndReport} forms) are those that proxies share
 * ({@link LifecycleVerbs}); for a host they mean:
 * <ul>
 * <li>open: start admitting requests, CREATED to OPEN; a no-op when open;</li>
 * <li>abort: OPEN to FAULTED, CLOSING to CLOSED, OPENING to CREATED; the listener faults,
 * every running operation is cancelled with {@link CancelReason#HOST_ABORTED}, and the
 * abort waits up to the host's abort grace for them to return, then interrupts the
 * threads of those that have not; its report says how many running operations were
 * cancelled ({@code ioCancelled} is {@code false}: cancelling an operation closes no
 * connection);</li>
 * <li>close: OPEN or FAULTED to CLOSING to CLOSED; the listener stops admitting, running
 * operations may finish within the close timeout, then those left are cancelled with
 * {@link CancelReason#HOST_CLOSE_TIMED_OUT} and treated like an abort (abort grace, then
 * interrupt); it returns when the host is CLOSED; CREATED goes to CLOSED at once; its
 * report says how many operations ran when the close began;</li>
 * <li>reset: CLOSED or FAULTED to CREATED.</li>
 * </ul>
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
