package io.github.cancellablesoap.server;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * What a running endpoint method can ask about the operation it serves: its ids, its
 * deadline, whether it was cancelled and why; and where it registers its cancel and
 * completion callbacks.
 * <p>
 * Declare a parameter of this type on a {@code @PayloadRoot} (or {@code @SoapAction})
 * endpoint method, or call {@link #current()} on the serving thread.
 * <p>
 * <strong>Propagation.</strong> While the context is current (on the serving thread, or
 * on another thread inside {@link #attach()} or a task made by {@link #wrap(Runnable)}),
 * every service proxy call made on that thread inherits the operation's deadline (it
 * times out at the earlier of its own call timeout and the deadline, and sends the
 * remaining budget on) and is aborted when the operation is cancelled, for any reason. To
 * make a call that outlives the operation, use {@code ServiceProxy#detached()} or
 * {@code io.github.cancellablesoap.core.CancellationScope#detached}.
 * <p>
 * Thread-safe: any thread may query the context or register callbacks. Cancellation
 * follows grpc-java's {@code CancellableContext}: the first cancellation wins and fixes
 * the reason; the cancel callback is taken out under a lock and handed to the product's
 * callback executor ({@code io.github.cancellablesoap.core.CallbackExecutor}), never run
 * on the thread that cancelled (a timer, a detector, an operator or the thread that
 * aborted the host). A callback that blocks or throws harms only its own operation: it
 * holds one callback thread, and holds back the operation's completion callbacks.
 * <p>
 * Once the operation's answer is decided, the host seals it before writing the answer: a
 * cancellation after that does not win and runs no callback, so an endpoint whose answer
 * is being sent is never told it was cancelled.
 * <p>
 * When a host is aborted (or its close timeout ran out) and the operation has not
 * returned within the host's abort grace, its serving thread is interrupted: treat an
 * {@link InterruptedException} as cancellation. The interrupt is cleared before the
 * thread returns to the container. Whatever the endpoint returns after cancellation, the
 * caller receives the cancellation fault described by {@link CancellationFaults}.
 *
 * @author Cancellable SOAP
 */
public interface OperationContext {

	/**
	 * The context of the operation served by the current thread.
	 * @return the context
	 * @throws IllegalStateException when the current thread is not serving an operation
	 * of a {@link ServiceHost}
	 */
	static OperationContext current() {
		return findCurrent().orElseThrow(() -> new IllegalStateException(
				"No OperationContext: the current thread is not serving an operation of a ServiceHost"));
	}

	/**
	 * The context of the operation served by the current thread, if any.
	 * @return the context, or empty outside a service host's operation
	 */
	static Optional<OperationContext> findCurrent() {
		return Optional.ofNullable(Operation.current());
	}

	/**
	 * Make this context current on the calling thread until the attachment is closed:
	 * {@link #current()} returns it, and the service proxy calls the thread makes inherit
	 * the operation's deadline and are aborted when it is cancelled. Closing restores
	 * what was current before. For work the endpoint hands to another thread.
	 * @return the attachment, to close on this thread (try-with-resources)
	 */
	Attachment attach();

	/**
	 * A task that runs with this context current ({@link #attach()}), on whatever thread
	 * runs it.
	 * @param task the task
	 * @return the wrapped task
	 */
	Runnable wrap(Runnable task);

	/**
	 * A task that runs with this context current ({@link #attach()}), on whatever thread
	 * runs it.
	 * @param <V> the task's result type
	 * @param task the task
	 * @return the wrapped task
	 */
	<V> Callable<V> wrap(Callable<V> task);

	/**
	 * The operation's id, unique in this JVM.
	 * @return the id
	 */
	String operationId();

	/**
	 * The call id the caller sent in the {@code Soap-Call-Id} header.
	 * @return the caller's call id, or empty when it sent none
	 */
	Optional<String> callerCallId();

	/**
	 * When the caller's time budget (the {@code Soap-Call-Timeout} header, in
	 * milliseconds) runs out; the operation is cancelled with
	 * {@link CancelReason#DEADLINE_EXCEEDED} then.
	 * @return the deadline, or empty when the caller sent no budget
	 */
	Optional<Instant> deadline();

	/**
	 * Whether the operation was cancelled.
	 * @return {@code true} once cancellation was requested
	 */
	boolean isCancellationRequested();

	/**
	 * Why the operation was cancelled.
	 * @return the reason, or empty while it is not cancelled
	 */
	Optional<CancelReason> cancelReason();

	/**
	 * Register the operation's cancel callback. It runs at most once, on a callback
	 * thread; if the operation is already cancelled it runs right away, on this thread,
	 * before this method returns. It does not run when the operation ends (or is sealed)
	 * without being cancelled.
	 * @param callback what to do on cancellation; it receives the reason
	 * @throws IllegalStateException when a cancel callback was already registered
	 */
	void onCancel(Consumer<CancelReason> callback);

	/**
	 * Register a callback that runs when the operation ends, whatever its outcome, on a
	 * callback thread, after the cancel callback (if one runs) has returned. If the
	 * operation has already ended it runs right away, on this thread. Several may be
	 * registered; they run in registration order.
	 * @param callback what to do when the operation ends
	 */
	void onComplete(Runnable callback);

	/**
	 * A context made current on one thread by {@link #attach()}. Close it on that thread,
	 * in the reverse order of attaching; closing it again does nothing.
	 */
	interface Attachment extends AutoCloseable {

		/**
		 * Restore what was current before.
		 * @throws IllegalStateException on another thread than the one that attached
		 */
		@Override
		void close();

	}

}
