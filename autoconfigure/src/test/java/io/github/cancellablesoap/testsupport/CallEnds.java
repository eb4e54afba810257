package io.github.cancellablesoap.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import org.jspecify.annotations.Nullable;

/**
 * A call listener that records, by call id, every end event it hears, so that a race test
 * can check that each call ended exactly once and how.
 * <p>
 * Thread-safe: every hook may be called from any thread, and the records read from any
 * other while events still arrive.
 *
 * @author Cancellable SOAP
 */
public final class CallEnds implements CallListener {

	private final Map<String, Queue<CallOutcome>> outcomes = new ConcurrentHashMap<>();

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger ended = new AtomicInteger();

	@Override
	public @Nullable Object callStarted(StartedCall call) {
		this.started.incrementAndGet();
		return null;
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		this.outcomes.computeIfAbsent(call.callId(), (id) -> new ConcurrentLinkedQueue<>()).add(call.outcome());
		this.ended.incrementAndGet();
	}

	/**
	 * The outcomes of one call's end events, in the order they arrived.
	 * @param callId the call id
	 * @return the outcomes; one for a call that ended once, none for one not ended
	 */
	public List<CallOutcome> outcomes(String callId) {
		Queue<CallOutcome> heard = this.outcomes.get(callId);
		return (heard != null) ? List.copyOf(heard) : List.of();
	}

	/**
	 * Calls started.
	 * @return the count
	 */
	public int started() {
		return this.started.get();
	}

	/**
	 * End events heard, of all calls.
	 * @return the count
	 */
	public int ended() {
		return this.ended.get();
	}

}
