package io.github.cancellablesoap.server;

import java.time.Duration;
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

/**
 * The running operations of one host and the two bounds they count against: the requests
 * still receiving their body ({@code max-receiving-requests}) and the operations running
 * their endpoint ({@code max-concurrent-operations}). An operation is registered when it
 * is admitted, moves from receiving to running once its body is in, and is removed
 * exactly once when it ends (from a {@code finally} of its exchange); listings are
 * immutable snapshots.
 * <p>
 * Thread-safe. Counts and membership change under the lock the host shares with its
 * lifecycle, so that admission decides on the host's state and the bounds in one step;
 * lookups by id and snapshots need no lock.
 */
final class OperationRegistry {

	private static final Log logger = LogFactory.getLog(OperationRegistry.class);

	private final String host;

	private final Object lock;

	private final int maxRunning;

	private final int maxReceiving;

	private final Duration abortGrace;

	private final Map<String, Operation> operations = new ConcurrentHashMap<>();

	/** The ids of the operations that run their endpoint; guarded by the lock. */
	private final Set<String> running = new HashSet<>();

	/** Admitted operations still receiving their body; guarded by the lock. */
	private int receiving;

	/**
	 * Create an empty registry.
	 * @param settings the host's settings, for its name, bounds and abort grace
	 * @param lock the host's lock, which guards the counts
	 */
	OperationRegistry(ServiceHostSettings settings, Object lock) {
		this.host = settings.name();
		this.lock = lock;
		this.maxRunning = settings.maxConcurrentOperations();
		this.maxReceiving = settings.maxReceivingRequests();
		this.abortGrace = settings.abortGrace();
	}

	/**
	 * Why no new request can be admitted now, whatever the host's state: either bound is
	 * full (a host that already runs its maximum refuses at once too, rather than receive
	 * a body it would most likely refuse).
	 * @return {@code null} when there is room, else the refusal's text
	 */
	@Nullable String whyFull() {
		synchronized (this.lock) {
			if (this.receiving >= this.maxReceiving) {
				return "Service host '" + this.host + "' is busy: it already receives its maximum of "
						+ this.maxReceiving + " request bodies";
			}
			return whyRunningFull();
		}
	}

	private @Nullable String whyRunningFull() {
		if (this.running.size() >= this.maxRunning) {
			return "Service host '" + this.host + "' is busy: it already runs its maximum of " + this.maxRunning
					+ " concurrent operations";
		}
		return null;
	}

	/**
	 * Register an admitted operation as receiving its body; the caller checked
	 * {@link #whyFull()} under the same hold of the lock.
	 * @param operation the operation
	 */
	void register(Operation operation) {
		synchronized (this.lock) {
			this.operations.put(operation.operationId(), operation);
			this.receiving++;
		}
	}

	/**
	 * Move an operation whose body is in from the receiving requests to the running ones;
	 * an operation that already runs stays counted once.
	 * @param operation a registered operation
	 * @param evenIfFull whether to run it even when the running bound is full (it was
	 * cancelled and only answers with its fault)
	 * @return {@code null} when it runs now, else why not
	 */
	@Nullable String run(Operation operation, boolean evenIfFull) {
		synchronized (this.lock) {
			if (!this.operations.containsKey(operation.operationId())) {
				return "Service host '" + this.host + "' already ended operation " + operation.operationId();
			}
			String full = whyRunningFull();
			if (full != null && !evenIfFull && !this.running.contains(operation.operationId())) {
				return full;
			}
			if (this.running.add(operation.operationId())) {
				this.receiving--;
			}
			return null;
		}
	}

	/**
	 * Whether an operation is still registered.
	 * @param operation the operation
	 * @return {@code true} until it was removed
	 */
	boolean contains(Operation operation) {
		return this.operations.containsKey(operation.operationId());
	}

	/**
	 * Forget an operation and free its place or slot; only the first call for an
	 * operation does anything.
	 * @param operation the operation
	 * @return {@code true} when this call removed it
	 */
	boolean remove(Operation operation) {
		synchronized (this.lock) {
			if (this.operations.remove(operation.operationId()) == null) {
				return false;
			}
			if (!this.running.remove(operation.operationId())) {
				this.receiving--;
			}
			return true;
		}
	}

	/**
	 * The operation with an id.
	 * @param operationId the id
	 * @return the operation, or {@code null} when none with that id is registered
	 */
	@Nullable Operation find(String operationId) {
		return this.operations.get(operationId);
	}

	/**
	 * The registered operations whose caller sent a call id: a scan, bounded by the
	 * host's {@code max-receiving-requests} and {@code max-concurrent-operations}.
	 * @param callerCallId the caller's call id
	 * @return the operations, usually one
	 */
	List<Operation> byCallerCallId(String callerCallId) {
		List<Operation> found = new ArrayList<>(1);
		for (Operation operation : this.operations.values()) {
			if (operation.callerCallId().filter(callerCallId::equals).isPresent()) {
				found.add(operation);
			}
		}
		return found;
	}

	/**
	 * The registered operations now; call it under the lock to take the snapshot in step
	 * with a state transition.
	 * @return an immutable snapshot
	 */
	List<Operation> snapshot() {
		return List.copyOf(this.operations.values());
	}

	/**
	 * What the registered operations look like now, oldest first.
	 * @return an immutable snapshot
	 */
	List<OperationInfo> infos() {
		List<OperationInfo> infos = new ArrayList<>();
		for (Operation operation : this.operations.values()) {
			infos.add(operation.info());
		}
		infos.sort(Comparator.comparing(OperationInfo::start).thenComparing(OperationInfo::id));
		return List.copyOf(infos);
	}

	/**
	 * Find an operation by id.
	 * @param operationId the id
	 * @return its description, empty when none with that id is registered
	 */
	Optional<OperationInfo> info(String operationId) {
		return Optional.ofNullable(find(operationId)).map(Operation::info);
	}

	/**
	 * How many registered operations run their endpoint.
	 * @return the count
	 */
	int running() {
		synchronized (this.lock) {
			return this.running.size();
		}
	}

	/**
	 * How many registered operations are still receiving their request body.
	 * @return the count
	 */
	int receiving() {
		synchronized (this.lock) {
			return this.receiving;
		}
	}

	/**
	 * Cancel operations with a reason, then wait for them (and their callbacks) until the
	 * grace runs out, and interrupt the threads of those still serving. The grace starts
	 * before the cancel callbacks are handed over, so it covers them. The operation the
	 * calling thread serves, if any, is cancelled but neither awaited nor interrupted.
	 * Keeps the calling thread's interrupt, and stops waiting when it is interrupted. The
	 * grace is the host's {@code abort-grace}; interrupted stragglers are logged.
	 * @param victims the operations, a snapshot
	 * @param reason why they are cancelled
	 * @param detail what to say about it, or {@code null}
	 */
	void cancelAll(List<Operation> victims, CancelReason reason, @Nullable String detail) {
		long deadline = System.nanoTime() + this.abortGrace.toNanos();
		for (Operation operation : victims) {
			operation.cancel(reason, detail);
		}
		boolean interrupted = !awaitEnd(victims, deadline);
		Operation own = Operation.CURRENT.get();
		int stragglers = 0;
		for (Operation operation : victims) {
			if (operation != own && !operation.hasEnded() && operation.interrupt()) {
				stragglers++;
			}
		}
		if (stragglers > 0) {
			logger.warn("Service host '" + this.host + "': " + stragglers
					+ " operation(s) did not return within the abort grace of " + this.abortGrace
					+ "; their threads were interrupted");
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait until operations have ended and their callbacks returned, or a deadline
	 * passed; the operation the calling thread serves, if any, is not awaited (it cannot
	 * end while its thread waits here).
	 * @param operations the operations, a snapshot
	 * @param deadlineNanos the {@link System#nanoTime()} reading to give up at
	 * @return {@code false} when the calling thread was interrupted while it waited (its
	 * interrupt is then cleared: the caller restores it once done)
	 */
	static boolean awaitEnd(List<Operation> operations, long deadlineNanos) {
		Operation own = Operation.CURRENT.get();
		for (Operation operation : operations) {
			if (operation == own) {
				continue;
			}
			try {
				operation.awaitEnd(deadlineNanos);
			}
			catch (InterruptedException ex) {
				return false;
			}
		}
		return true;
	}

}
