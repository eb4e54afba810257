package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Lifecycle;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.core.VerbResult;

/**
 * The standard {@link ServiceHost}: its state machine, its listener and its verbs, and
 * the admission of requests into its {@link OperationRegistry} of running operations.
 * Requests reach it through a {@link ServiceHostServlet}.
 * <p>
 * Thread-safe: state transitions (the {@link Lifecycle} table that proxies share) and
 * admission are serialised on one lock; waiting for operations (close, abort) happens
 * outside it. {@link #close()} and {@link #abort} block the calling thread for at most
 * close timeout plus abort grace, and abort grace, respectively; the abort grace starts
 * before the cancel callbacks are handed to the callback executor and covers them, so a
 * callback that blocks for ever cannot hold an abort or close longer. When the abort
 * grace runs out, the host interrupts the worker threads of the operations it still waits
 * for (each only while it is still serving that operation) and clears the interrupt
 * before the thread goes back to the container. An operation that outlives even the
 * interrupt stays in the registry, and counts against the concurrency limit, until it
 * returns, also after a reset.
 * <p>
 * Requests are admitted through its {@link HostAdmission} (which says when an operation
 * takes which place) into its {@link OperationRegistry}, which also fans cancels out. Its
 * {@link HostEvents} tell the operation listener of refusals and aborts. What is left
 * here is the state table and the verbs of the {@link ServiceHost} contract (a little
 * over 300 lines: the contract is wide, and each verb states its waiting and locking).
 * <p>
 * An {@link OperationListener} hears of refusals (in {@code admit}), admissions, ends
 * (exactly once per admitted operation, when the operation ends), host and listener
 * aborts, and cancels (from the one place where a cancel wins).
 *
 * @author Cancellable SOAP
 */
public final class DefaultServiceHost implements ServiceHost {

	private static final Log logger = LogFactory.getLog(DefaultServiceHost.class);

	private final ServiceHostSettings settings;

	private final Object lock = new Object();

	private final OperationRegistry operations;

	private final HostAdmission admission;

	private final EarlyCancels earlyCancels;

	private final HostEvents events;

	private final Lifecycle lifecycle;

	private volatile HostState state = HostState.CREATED;

	private volatile ListenerState listener = ListenerState.CLOSED;

	/**
	 * Create a host in state CREATED.
	 * @param settings the host's settings
	 * @param timer the timer that enforces callers' deadlines; shared, owned by the
	 * caller
	 */
	public DefaultServiceHost(ServiceHostSettings settings, CancellationTimer timer) {
		this(settings, timer, CallbackExecutor.common(), Ticker.SYSTEM);
	}

	/**
	 * Create a host in state CREATED.
	 * @param settings the host's settings
	 * @param timer the timer that enforces callers' deadlines; shared, owned by the
	 * caller
	 * @param callbacks where operations' cancel and completion callbacks run; shared,
	 * owned by the caller
	 */
	public DefaultServiceHost(ServiceHostSettings settings, CancellationTimer timer, CallbackExecutor callbacks) {
		this(settings, timer, callbacks, Ticker.SYSTEM);
	}

	/**
	 * Create a host in state CREATED.
	 * @param settings the host's settings
	 * @param timer the timer that enforces callers' deadlines; shared, owned by the
	 * caller
	 * @param callbacks where operations' cancel and completion callbacks run; shared,
	 * owned by the caller
	 * @param ticker the clock for elapsed times
	 */
	public DefaultServiceHost(ServiceHostSettings settings, CancellationTimer timer, CallbackExecutor callbacks,
			Ticker ticker) {
		this.settings = settings;
		this.operations = new OperationRegistry(settings, this.lock);
		this.events = new HostEvents(settings.name());
		this.earlyCancels = new EarlyCancels(ticker);
		this.admission = new HostAdmission(this, this.operations, this.events, this.lock, timer, ticker, callbacks,
				this.earlyCancels);
		this.lifecycle = new Lifecycle("service host '" + settings.name() + "'", this.lock, Lifecycle.Resource.NONE,
				this::transitioned);
	}

	/**
	 * Set the listener that hears about requests and operations; replaces the previous
	 * one for operations admitted from now on (an admitted operation ends with the
	 * listener it started with).
	 * @param listener the listener, {@link OperationListener#NONE} for none
	 */
	public void setOperationListener(OperationListener listener) {
		this.events.listener(listener);
	}

	/**
	 * The host's settings.
	 * @return the settings
	 */
	public ServiceHostSettings settings() {
		return this.settings;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public HostState state() {
		return this.state;
	}

	@Override
	public ListenerState listenerState() {
		return this.listener;
	}

	@Override
	public VerbResult openAndReport() {
		Lifecycle.Transition opened = this.lifecycle.open();
		if (opened.from() == opened.to()) {
			return VerbResult.unchanged(opened.to().name());
		}
		logger.info("Service host '" + name() + "' is open at " + this.settings.path());
		return new VerbResult(opened.from().name(), opened.to().name(), true, false, 0);
	}

	@Override
	public VerbResult abortAndReport(@Nullable String reason) {
		Step step = begin(this.lifecycle::abort);
		if (step.transition() == null) {
			return VerbResult.unchanged(step.state().name());
		}
		Lifecycle.Transition aborted = step.transition();
		List<Operation> victims = step.operations();
		this.events.aborted("host");
		logger.warn("Service host '" + name() + "' aborted (" + aborted.from() + " -> " + aborted.to() + ")"
				+ ((reason != null) ? ": " + reason : "") + "; cancelling " + victims.size() + " running operation(s)");
		this.operations.cancelAll(victims, CancelReason.HOST_ABORTED, reason);
		return new VerbResult(aborted.from().name(), aborted.to().name(), true, false, victims.size());
	}

	@Override
	public VerbResult closeAndReport() {
		Step step = begin(this.lifecycle::beginClose);
		if (step.transition() == null) {
			return VerbResult.unchanged(step.state().name());
		}
		Lifecycle.Transition closing = step.transition();
		List<Operation> running = step.operations();
		if (closing.to() == Lifecycle.State.CLOSED) {
			return new VerbResult(closing.from().name(), closing.to().name(), true, false, 0);
		}
		logger.info("Service host '" + name() + "' closing; " + running.size() + " running operation(s)");
		boolean interrupted = !OperationRegistry.awaitEnd(running,
				System.nanoTime() + this.settings.closeTimeout().toNanos());
		List<Operation> left = running.stream().filter((operation) -> !operation.hasEnded()).toList();
		if (!left.isEmpty() && this.lifecycle.isCurrent(closing)) {
			this.operations.cancelAll(left, CancelReason.HOST_CLOSE_TIMED_OUT,
					"close timeout of " + this.settings.closeTimeout() + " ran out");
		}
		this.lifecycle.completeClose(closing);
		logger.info("Service host '" + name() + "' closed");
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return new VerbResult(closing.from().name(), HostState.CLOSED.name(), true, false, running.size());
	}

	@Override
	public VerbResult resetAndReport() {
		Lifecycle.Transition reset = this.lifecycle.reset();
		return new VerbResult(reset.from().name(), reset.to().name(), true, false, 0);
	}

	/**
	 * Take a transition of the lifecycle and, in the same step, the snapshot of the
	 * operations it concerns: an operation admitted later saw the new state.
	 */
	private Step begin(Supplier<Lifecycle.@Nullable Transition> verb) {
		synchronized (this.lock) {
			Lifecycle.Transition transition = verb.get();
			return new Step(transition, (transition != null) ? this.operations.snapshot() : List.of(), this.state);
		}
	}

	/**
	 * Keep the published host and listener states in step with the lifecycle, under the
	 * host's lock: an open host has an open listener, an aborted one a faulted listener,
	 * and any other a closed listener.
	 */
	private void transitioned(Lifecycle.State from, Lifecycle.State to) {
		this.state = HostState.valueOf(to.name());
		this.listener = switch (to) {
			case OPEN -> ListenerState.OPEN;
			case FAULTED -> ListenerState.FAULTED;
			default -> ListenerState.CLOSED;
		};
	}

	@Override
	public boolean abortListener(@Nullable String reason) {
		synchronized (this.lock) {
			if (this.listener != ListenerState.OPEN) {
				return false;
			}
			this.listener = ListenerState.FAULTED;
		}
		this.events.aborted("listener");
		logger.warn("Listener of service host '" + name() + "' aborted" + ((reason != null) ? ": " + reason : ""));
		return true;
	}

	@Override
	public void resetListener() {
		synchronized (this.lock) {
			if (this.state != HostState.OPEN || this.listener != ListenerState.FAULTED) {
				throw new IllegalStateException("Cannot reset the listener of service host '" + name()
						+ "': the host is " + this.state + " and its listener " + this.listener
						+ " (needs an OPEN host with a FAULTED listener)");
			}
			this.listener = ListenerState.OPEN;
		}
	}

	@Override
	public List<OperationInfo> operations() {
		return this.operations.infos();
	}

	@Override
	public Optional<OperationInfo> operation(String operationId) {
		return this.operations.info(operationId);
	}

	@Override
	public boolean cancel(String operationId, @Nullable String reason) {
		Operation operation = this.operations.find(operationId);
		return operation != null && operation.cancel(CancelReason.OPERATOR, reason);
	}

	/**
	 * Admit a new request without headers, or say why not: {@link HostAdmission#admit}.
	 */
	Admission admit(String callerAddress, @Nullable String callerCallId, @Nullable Duration budget) {
		return admit(callerAddress, callerCallId, budget, null, OperationListener.RequestHeaders.NONE);
	}

	/** Admit a new request, or say why not: {@link HostAdmission#admit}. */
	Admission admit(String callerAddress, @Nullable String callerCallId, @Nullable Duration budget,
			@Nullable String callToken, OperationListener.RequestHeaders requestHeaders) {
		return this.admission.admit(this.events.listener(), callerAddress, callerCallId, budget, callToken,
				requestHeaders);
	}

	/**
	 * Cancel a running operation on its caller's explicit cancel, with
	 * {@link CancelReason#CALLER_CANCELLED}: only when the caller's call id names an
	 * operation of this host whose caller's token is the one presented.
	 * @param callerCallId the call id the caller sent with its request
	 * @param token the token the cancel presents
	 * @return what the cancel did
	 */
	CallerCancel cancelFromCaller(String callerCallId, String token) {
		List<Operation> named = this.operations.byCallerCallId(callerCallId);
		if (named.isEmpty()) {
			// perhaps it overtook its request: kept a while, for that request only
			this.earlyCancels.remember(callerCallId, token);
			// the request may have been admitted between the look-up and now, finding
			// nothing to claim: look again, and take the kept cancel back to apply it
			// here
			named = this.operations.byCallerCallId(callerCallId);
			if (named.isEmpty()) {
				return CallerCancel.UNKNOWN;
			}
			this.earlyCancels.claim(callerCallId, token);
		}
		for (Operation operation : named) {
			if (operation.holdsToken(token)) {
				return operation.cancel(CancelReason.CALLER_CANCELLED, "the caller cancelled call " + callerCallId)
						? CallerCancel.CANCELLED : CallerCancel.ENDED;
			}
		}
		return CallerCancel.FORBIDDEN;
	}

	/**
	 * What a caller's explicit cancel did.
	 */
	enum CallerCancel {

		/** The operation was cancelled. */
		CANCELLED,

		/** No running operation has that caller's call id. */
		UNKNOWN,

		/** The token is not the one the operation's caller sent. */
		FORBIDDEN,

		/** The operation was already cancelled, answered or ending. */
		ENDED

	}

	/** Let an admitted operation run, or say why not: {@link HostAdmission#execute}. */
	@Nullable String execute(Operation operation) {
		return this.admission.execute(operation);
	}

	/** How many admitted operations run their endpoint now. */
	int running() {
		return this.operations.running();
	}

	/** How many admitted operations are still receiving their request body. */
	int receiving() {
		return this.operations.receiving();
	}

	/** Whether new requests (and requests still being received) are admitted now. */
	boolean admits() {
		return this.state == HostState.OPEN && this.listener == ListenerState.OPEN;
	}

	/**
	 * End an admitted operation: forget it, free its slot, tell the operation listener
	 * (once, whoever calls first), hand its completion callbacks to the callback
	 * executor.
	 * @param operation the operation
	 */
	void finish(Operation operation) {
		this.operations.remove(operation);
		operation.end();
	}

	/**
	 * A transition (or {@code null} when the verb changed nothing), the operations
	 * running when it was taken, and the state after it.
	 */
	private record Step(Lifecycle.@Nullable Transition transition, List<Operation> operations, HostState state) {

	}

	@Override
	public String toString() {
		return "ServiceHost[" + name() + " " + this.state + ", listener " + this.listener + ", "
				+ this.operations.running() + " running]";
	}

}
