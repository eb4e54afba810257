package io.github.cancellablesoap.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Lifecycle;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.core.VerbResult;

/**
 * The standard {@link ServiceHost}: its state machine, its listener, its admission
 * control and its registry of running operations. Requests reach it through a
 * {@link ServiceHostServlet}.
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
 * An operation is admitted when its request's headers arrive: from then on it is listed,
 * cancellable, and its deadline counts. While its body arrives it holds one of the host's
 * {@code max-receiving-requests} places; once the body is in, {@link #execute} moves it
 * to one of the {@code max-concurrent-operations} slots, so a stalled body never blocks
 * running operations. An operation cancelled while its request body is still being
 * received has no thread to interrupt; it answers with the cancellation fault once the
 * body is in (or ends when the body times out or the container reports that the
 * connection failed).
 * <p>
 * An {@link OperationListener} hears of refusals (in {@code admit}), admissions, ends
 * (exactly once per admitted operation, when the operation ends), host and listener
 * aborts, and cancels (from the one place where a cancel wins).
 *
 * @author Cancellable SOAP
 */
public final class DefaultServiceHost implements ServiceHost {

	private static final Log logger = LogFactory.getLog(DefaultServiceHost.class);

	private static final Ids OPERATION_IDS = new Ids("o");

	private final ServiceHostSettings settings;

	private final CancellationTimer timer;

	private final Ticker ticker;

	private final CallbackExecutor callbacks;

	private final Map<String, Operation> operations = new ConcurrentHashMap<>();

	private final Object lock = new Object();

	private final Lifecycle lifecycle;

	private volatile HostState state = HostState.CREATED;

	private volatile ListenerState listener = ListenerState.CLOSED;

	private volatile OperationListener operationListener = OperationListener.NONE;

	/** Operations running their endpoint; guarded by the lock. */
	private int active;

	/** Admitted operations still receiving their body; guarded by the lock. */
	private int receiving;

	/** The ids of the operations counted in {@code active}; guarded by the lock. */
	private final Set<String> executing = new HashSet<>();

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
	 * @param ticker the clock for elapsed times
	 */
	public DefaultServiceHost(ServiceHostSettings settings, CancellationTimer timer, Ticker ticker) {
		this(settings, timer, CallbackExecutor.common(), ticker);
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
		this.timer = timer;
		this.callbacks = callbacks;
		this.ticker = ticker;
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
		this.operationListener = listener;
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
		Lifecycle.Transition aborted;
		List<Operation> victims;
		synchronized (this.lock) {
			aborted = this.lifecycle.abort();
			if (aborted == null) {
				return VerbResult.unchanged(this.state.name());
			}
			victims = new ArrayList<>(this.operations.values());
		}
		aborted("host");
		logger.warn("Service host '" + name() + "' aborted (" + aborted.from() + " -> " + aborted.to() + ")"
				+ ((reason != null) ? ": " + reason : "") + "; cancelling " + victims.size() + " running operation(s)");
		cancelAndDrain(victims, CancelReason.HOST_ABORTED, reason);
		return new VerbResult(aborted.from().name(), aborted.to().name(), true, false, victims.size());
	}

	@Override
	public VerbResult closeAndReport() {
		Lifecycle.Transition closing;
		List<Operation> running;
		synchronized (this.lock) {
			closing = this.lifecycle.beginClose();
			if (closing == null) {
				return VerbResult.unchanged(this.state.name());
			}
			running = new ArrayList<>(this.operations.values());
		}
		if (closing.to() == Lifecycle.State.CLOSED) {
			return new VerbResult(closing.from().name(), closing.to().name(), true, false, 0);
		}
		logger.info("Service host '" + name() + "' closing; " + running.size() + " running operation(s)");
		long deadline = System.nanoTime() + this.settings.closeTimeout().toNanos();
		Operation own = Operation.CURRENT.get();
		boolean interrupted = false;
		for (Operation operation : running) {
			if (operation == own) {
				continue;
			}
			try {
				operation.awaitEnd(deadline);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				break;
			}
		}
		List<Operation> left = running.stream().filter((operation) -> !operation.hasEnded()).toList();
		if (!left.isEmpty() && this.lifecycle.isCurrent(closing)) {
			cancelAndDrain(left, CancelReason.HOST_CLOSE_TIMED_OUT,
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
		aborted("listener");
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
		List<OperationInfo> infos = new ArrayList<>();
		for (Operation operation : this.operations.values()) {
			infos.add(operation.info());
		}
		infos.sort(Comparator.comparing(OperationInfo::start).thenComparing(OperationInfo::id));
		return List.copyOf(infos);
	}

	@Override
	public Optional<OperationInfo> operation(String operationId) {
		return Optional.ofNullable(this.operations.get(operationId)).map(Operation::info);
	}

	@Override
	public boolean cancel(String operationId, @Nullable String reason) {
		Operation operation = this.operations.get(operationId);
		return operation != null && operation.cancel(CancelReason.OPERATOR, reason);
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
	 * @param callerAddress the caller's address and port
	 * @param callerCallId the call id the caller sent, or {@code null}
	 * @param budget the time budget the caller sent, or {@code null}; cut to the host's
	 * {@code max-call-timeout}
	 * @return the admission
	 */
	Admission admit(String callerAddress, @Nullable String callerCallId, @Nullable Duration budget) {
		Operation operation;
		OperationListener listener = this.operationListener;
		HostState hostState;
		ListenerState listenerState;
		boolean receivingFull;
		Duration limited = (budget != null && budget.compareTo(this.settings.maxCallTimeout()) > 0)
				? this.settings.maxCallTimeout() : budget;
		synchronized (this.lock) {
			hostState = this.state;
			listenerState = this.listener;
			receivingFull = this.receiving >= this.settings.maxReceivingRequests();
			if (hostState == HostState.OPEN && listenerState == ListenerState.OPEN
					&& this.active < this.settings.maxConcurrentOperations()
					&& this.receiving < this.settings.maxReceivingRequests()) {
				Instant deadline = (limited != null) ? Instant.now().plus(limited) : null;
				operation = new Operation(OPERATION_IDS.next(), name(), this.ticker, callerAddress, callerCallId,
						deadline, listener, this.callbacks);
				this.operations.put(operation.operationId(), operation);
				this.receiving++;
			}
			else {
				operation = null;
			}
		}
		if (operation == null) {
			return refuse(listener, hostState, listenerState, receivingFull);
		}
		try {
			operation.started();
			if (limited != null) {
				scheduleDeadline(operation, limited);
			}
		}
		catch (Throwable ex) {
			operation.failed(ex);
			finish(operation);
			throw ex;
		}
		return new Admission(operation, null, HostState.OPEN, ListenerState.OPEN);
	}

	/**
	 * Let an admitted operation whose body is in run its endpoint, or say why not: the
	 * host or its listener stopped admitting while the body was being received, or the
	 * host runs its maximum of concurrent operations. An operation already cancelled runs
	 * anyway (it only answers with its cancellation fault), whatever the host's state.
	 * @param operation an operation admitted by {@link #admit} and not finished
	 * @return {@code null} when the operation runs now, else why not
	 */
	@Nullable String execute(Operation operation) {
		synchronized (this.lock) {
			if (!this.operations.containsKey(operation.operationId())) {
				return "Service host '" + name() + "' already ended operation " + operation.operationId();
			}
			if (!operation.isCancellationRequested()) {
				if (this.state != HostState.OPEN || this.listener != ListenerState.OPEN) {
					return "Service host '" + name() + "' dropped the request while receiving it: it is " + this.state
							+ " and its listener " + this.listener;
				}
				if (this.active >= this.settings.maxConcurrentOperations()) {
					return "Service host '" + name() + "' is busy: it already runs its maximum of "
							+ this.settings.maxConcurrentOperations() + " concurrent operations";
				}
			}
			if (this.executing.add(operation.operationId())) {
				this.receiving--;
				this.active++;
			}
			return null;
		}
	}

	/**
	 * How many admitted operations run their endpoint now.
	 * @return the count
	 */
	int running() {
		synchronized (this.lock) {
			return this.active;
		}
	}

	/**
	 * How many admitted operations are still receiving their request body.
	 * @return the count
	 */
	int receiving() {
		synchronized (this.lock) {
			return this.receiving;
		}
	}

	private Admission refuse(OperationListener listener, HostState hostState, ListenerState listenerState,
			boolean receivingFull) {
		String reason;
		String text;
		if (hostState != HostState.OPEN || listenerState != ListenerState.OPEN) {
			reason = (hostState != HostState.OPEN) ? "host-not-open" : "listener-not-open";
			text = "Service host '" + name() + "' does not accept requests: it is " + hostState + " and its listener "
					+ listenerState;
		}
		else if (receivingFull) {
			reason = "over-capacity";
			text = "Service host '" + name() + "' is busy: it already receives its maximum of "
					+ this.settings.maxReceivingRequests() + " request bodies";
		}
		else {
			reason = "over-capacity";
			text = "Service host '" + name() + "' is busy: it already runs its maximum of "
					+ this.settings.maxConcurrentOperations() + " concurrent operations";
		}
		if (listener != OperationListener.NONE) {
			try {
				listener.operationRejected(new OperationListener.Rejection(name(), reason, hostState, listenerState));
			}
			catch (RuntimeException ex) {
				logger.warn("Operation listener of service host '" + name() + "' failed", ex);
			}
		}
		return new Admission(null, text, hostState, listenerState);
	}

	private void aborted(String target) {
		OperationListener listener = this.operationListener;
		if (listener == OperationListener.NONE) {
			return;
		}
		try {
			listener.aborted(new OperationListener.AbortEvent(name(), target, "requested", AbortInitiator.current()));
		}
		catch (RuntimeException ex) {
			logger.warn("Operation listener of service host '" + name() + "' failed", ex);
		}
	}

	private void scheduleDeadline(Operation operation, Duration budget) {
		// the budget was cut to max-call-timeout, so toMillis cannot overflow
		String detail = "the caller's budget of " + budget.toMillis() + " ms ran out";
		if (budget.isNegative() || budget.isZero()) {
			operation.cancel(CancelReason.DEADLINE_EXCEEDED, detail);
		}
		else {
			operation.deadlineTask(
					this.timer.schedule(() -> operation.cancel(CancelReason.DEADLINE_EXCEEDED, detail), budget));
		}
	}

	/**
	 * Whether new requests (and requests still being received) are admitted now.
	 * @return {@code true} when the host and its listener are open
	 */
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
		synchronized (this.lock) {
			if (this.operations.remove(operation.operationId()) != null) {
				if (this.executing.remove(operation.operationId())) {
					this.active--;
				}
				else {
					this.receiving--;
				}
			}
		}
		operation.end();
	}

	private void cancelAndDrain(List<Operation> victims, CancelReason reason, @Nullable String detail) {
		// the grace starts before the callbacks are handed over: it covers them
		long deadline = System.nanoTime() + this.settings.abortGrace().toNanos();
		for (Operation operation : victims) {
			operation.cancel(reason, detail);
		}
		Operation own = Operation.CURRENT.get();
		boolean interrupted = false;
		for (Operation operation : victims) {
			if (operation == own) {
				continue;
			}
			try {
				operation.awaitEnd(deadline);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				break;
			}
		}
		int stragglers = 0;
		for (Operation operation : victims) {
			if (operation != own && !operation.hasEnded() && operation.interrupt()) {
				stragglers++;
			}
		}
		if (stragglers > 0) {
			logger.warn("Service host '" + name() + "': " + stragglers
					+ " operation(s) did not return within the abort grace of " + this.settings.abortGrace()
					+ "; their threads were interrupted");
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "ServiceHost[" + name() + " " + this.state + ", listener " + this.listener + ", " + this.active
				+ " running]";
	}

}
