package io.github.cancellablesoap.server;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Ticker;

/**
 * Lets requests into one host's {@link OperationRegistry}: a new request is admitted when
 * the host and its listener are open and both bounds have room, and its body, once in,
 * runs when the host still admits and runs fewer than its maximum of operations.
 * <p>
 * An operation is admitted when its request's headers arrive: from then on it is listed,
 * cancellable, and its deadline counts. While its body arrives it holds one of the host's
 * {@code max-receiving-requests} places; once the body is in, {@link #execute} moves it
 * to one of the {@code max-concurrent-operations} slots, so a stalled body never blocks
 * running operations. An operation cancelled while its request body is still being
 * received has no thread to interrupt; it answers with the cancellation fault once the
 * body is in (or ends when the body times out or the container reports that the
 * connection failed).
 * <p>
 * Thread-safe: each decision is taken under the host's lock, in step with the host's
 * state transitions; the operation listener hears of refusals outside it.
 */
final class HostAdmission {

	private static final Ids OPERATION_IDS = new Ids("o");

	private final DefaultServiceHost host;

	private final OperationRegistry operations;

	private final HostEvents events;

	private final Object lock;

	private final CancellationTimer timer;

	private final Ticker ticker;

	private final CallbackExecutor callbacks;

	private final EarlyCancels earlyCancels;

	HostAdmission(DefaultServiceHost host, OperationRegistry operations, HostEvents events, Object lock,
			CancellationTimer timer, Ticker ticker, CallbackExecutor callbacks, EarlyCancels earlyCancels) {
		this.earlyCancels = earlyCancels;
		this.host = host;
		this.operations = operations;
		this.events = events;
		this.lock = lock;
		this.timer = timer;
		this.ticker = ticker;
		this.callbacks = callbacks;
	}

	/**
	 * Admit a new request, whose body is still to arrive, or say why not. The admitted
	 * operation is listed and cancellable at once, and its deadline counts from now, but
	 * it holds only a place among the requests being received
	 * ({@code max-receiving-requests}); it takes one of the host's
	 * {@code max-concurrent-operations} in {@link #execute}, once its body is in. A host
	 * that already runs its maximum refuses at once too, rather than receive a body it
	 * would most likely refuse.
	 * <p>
	 * Whatever throws once the operation is admitted (the operation listener, the timer)
	 * ends the operation before the exception leaves this method.
	 * @param listener the operation listener the operation starts with
	 * @param callerAddress the caller's address and port
	 * @param callerCallId the call id the caller sent, or {@code null}
	 * @param budget the time budget the caller sent, or {@code null}; cut to the host's
	 * {@code max-call-timeout}
	 * @param callToken the caller's token, or {@code null}: see
	 * {@link DefaultServiceHost#cancelFromCaller}
	 * @param requestHeaders the request's headers, for the listener to read at the start
	 * @return the admission
	 */
	Admission admit(OperationListener listener, String callerAddress, @Nullable String callerCallId,
			@Nullable Duration budget, @Nullable String callToken, OperationListener.RequestHeaders requestHeaders) {
		Duration max = this.host.settings().maxCallTimeout();
		Duration limited = (budget != null && budget.compareTo(max) > 0) ? max : budget;
		Operation operation = null;
		HostState hostState;
		ListenerState listenerState;
		String full;
		synchronized (this.lock) {
			hostState = this.host.state();
			listenerState = this.host.listenerState();
			full = this.operations.whyFull();
			if (hostState == HostState.OPEN && listenerState == ListenerState.OPEN && full == null) {
				Instant deadline = (limited != null) ? Instant.now().plus(limited) : null;
				operation = new Operation(OPERATION_IDS.next(), this.host.name(), this.ticker, callerAddress,
						callerCallId, deadline, listener, this.callbacks);
				operation.callToken(callToken);
				this.operations.register(operation);
			}
		}
		if (operation == null) {
			return refuse(listener, hostState, listenerState, full);
		}
		try {
			operation.started(requestHeaders);
			if (limited != null) {
				scheduleDeadline(operation, limited);
			}
			if (this.earlyCancels.claim(callerCallId, callToken)) {
				operation.cancel(CancelReason.CALLER_CANCELLED,
						"the caller cancelled call " + callerCallId + " before its request arrived");
			}
		}
		catch (Throwable ex) {
			operation.failed(ex);
			this.host.finish(operation);
			throw ex;
		}
		return new Admission(operation, null, HostState.OPEN, ListenerState.OPEN);
	}

	/**
	 * Let an admitted operation whose body is in run its endpoint, or say why not: the
	 * host or its listener stopped admitting while the body was being received, or the
	 * host runs its maximum of concurrent operations. An operation already cancelled runs
	 * anyway (it only answers with its cancellation fault), whatever the host's state.
	 * @param operation an admitted operation
	 * @return {@code null} when the operation runs now, else why not
	 */
	@Nullable String execute(Operation operation) {
		synchronized (this.lock) {
			boolean cancelled = operation.isCancellationRequested();
			if (!cancelled && !this.host.admits() && this.operations.contains(operation)) {
				return "Service host '" + this.host.name() + "' dropped the request while receiving it: it is "
						+ this.host.state() + " and its listener " + this.host.listenerState();
			}
			return this.operations.run(operation, cancelled);
		}
	}

	private Admission refuse(OperationListener listener, HostState hostState, ListenerState listenerState,
			@Nullable String full) {
		boolean closed = hostState != HostState.OPEN || listenerState != ListenerState.OPEN;
		String reason = (!closed) ? "over-capacity"
				: (hostState != HostState.OPEN) ? "host-not-open" : "listener-not-open";
		String text = (!closed && full != null) ? full : "Service host '" + this.host.name()
				+ "' does not accept requests: it is " + hostState + " and its listener " + listenerState;
		this.events.rejected(listener,
				new OperationListener.Rejection(this.host.name(), reason, hostState, listenerState));
		return new Admission(null, text, hostState, listenerState);
	}

	private void scheduleDeadline(Operation operation, Duration budget) {
		// the budget was cut to max-call-timeout, so toMillis cannot overflow; the
		// deadline lives in the operation's scope, where downstream calls read it
		operation.expireAfter(budget, this.timer, "the caller's budget of " + budget.toMillis() + " ms ran out");
	}

}
