package io.github.cancellablesoap.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import org.jspecify.annotations.Nullable;

/**
 * An operation listener that records every event a host reports, in the order each kind
 * arrived, and whether each end got back the state its own start returned.
 * <p>
 * Thread-safe: every hook may be called from any thread, and the records read from any
 * other while events still arrive.
 *
 * @author Cancellable SOAP
 */
public class RecordingOperationListener implements OperationListener {

	/** Requests the host turned away. */
	public final Queue<Rejection> rejections = new ConcurrentLinkedQueue<>();

	/** Operations started. */
	public final Queue<StartedOperation> started = new ConcurrentLinkedQueue<>();

	/** Operations ended. */
	public final Queue<EndedOperation> ended = new ConcurrentLinkedQueue<>();

	/** How many ends each operation id had. */
	public final Map<String, AtomicInteger> endedById = new ConcurrentHashMap<>();

	/** Aborts of operations, listeners and the host. */
	public final Queue<AbortEvent> aborts = new ConcurrentLinkedQueue<>();

	/** Ends whose state was not the one their start returned (its operation id). */
	public final AtomicInteger endedWithForeignState = new AtomicInteger();

	@Override
	public void operationRejected(Rejection rejection) {
		this.rejections.add(rejection);
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		this.started.add(operation);
		return operation.operationId();
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		this.ended.add(operation);
		this.endedById.computeIfAbsent(operation.operationId(), (id) -> new AtomicInteger()).incrementAndGet();
		if (!operation.operationId().equals(state)) {
			this.endedWithForeignState.incrementAndGet();
		}
	}

	@Override
	public void aborted(AbortEvent event) {
		this.aborts.add(event);
	}

	/**
	 * The outcomes of the operations that ended, in the order they ended.
	 * @return the outcomes
	 */
	public List<OperationOutcome> outcomes() {
		return this.ended.stream().map(EndedOperation::outcome).toList();
	}

}
