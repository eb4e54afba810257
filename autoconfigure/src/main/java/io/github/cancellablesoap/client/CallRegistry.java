package io.github.cancellablesoap.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.github.cancellablesoap.core.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * The calls in flight through one proxy: admits calls within {@code max-pending-calls},
 * counts those abandoned, finds them by call or channel id, hands out immutable
 * snapshots, and abandons or aborts them in bulk.
 * <p>
 * OkHttp's {@code Dispatcher} is the model: calls enter through one door and leave
 * through another that runs in a {@code finally}, listings are copies, and where the
 * dispatcher runs an idle callback when its last call finishes, a closing proxy waits
 * here in {@link #awaitIdle}. Unlike the dispatcher it never queues: a call past the
 * quota is rejected at once.
 * <p>
 * A call holds its slot from admission until both its caller has left and its I/O has
 * ended, so an abandoned call keeps counting against the quota until its exchange really
 * ends; the call removes itself (from a {@code finally} on the caller's side, or when its
 * exchange ends) through {@link #remove}. The registry knows nothing of the proxy's
 * lifecycle: the proxy re-checks its state after {@link #admit} and takes the
 * {@link #snapshot} of the calls an abort or close ends under its lifecycle lock, so a
 * call is either seen by that snapshot or rejected by the re-check.
 * <p>
 * Thread-safe: every method may be called from any thread. {@link #pending()} never
 * exceeds the quota; it counts a call from the moment its slot is taken, shortly before
 * the call is listed, until shortly after it is no longer listed.
 */
final class CallRegistry {

	private final String proxyName;

	private final int maxPendingCalls;

	private final Ticker ticker;

	private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger abandoned = new AtomicInteger();

	/**
	 * Threads in {@link #awaitIdle}; removal only takes the monitor when there are any.
	 */
	private final AtomicInteger idleWaiters = new AtomicInteger();

	private final Object idle = new Object();

	CallRegistry(String proxyName, int maxPendingCalls, Ticker ticker) {
		this.proxyName = proxyName;
		this.maxPendingCalls = maxPendingCalls;
		this.ticker = ticker;
	}

	/**
	 * Take a slot for a new call and register it.
	 * @param id the new call's id
	 * @param factory makes the call once it has a slot
	 * @return the registered call
	 * @throws CallRejectedException when {@code max-pending-calls} calls are in flight
	 */
	Call admit(String id, Function<String, Call> factory) {
		if (!takeSlot()) {
			throw new CallRejectedException("Proxy '" + this.proxyName + "' has " + this.maxPendingCalls
					+ " calls in flight (max-pending-calls, abandoned calls included); call " + id + " was rejected",
					id, this.proxyName);
		}
		try {
			Call call = factory.apply(id);
			this.calls.put(id, call);
			return call;
		}
		catch (RuntimeException | Error ex) {
			freeSlot();
			throw ex;
		}
	}

	/**
	 * Take a slot unless all are taken; a compare-and-set loop rather than increment and
	 * undo, so that {@link #pending()} never shows more than the quota, not even briefly.
	 */
	private boolean takeSlot() {
		int taken = this.pending.get();
		while (taken < this.maxPendingCalls) {
			if (this.pending.compareAndSet(taken, taken + 1)) {
				return true;
			}
			taken = this.pending.get();
		}
		return false;
	}

	/**
	 * Remove a call and free its slot; a call that is no longer registered is ignored.
	 * @param call the call that ended
	 */
	void remove(Call call) {
		if (!this.calls.remove(call.callId(), call)) {
			return;
		}
		if (call.abandonMark().takeOnRemoval()) {
			this.abandoned.decrementAndGet();
		}
		freeSlot();
	}

	/**
	 * Count a call as abandoned, unless it already left the registry. The count goes up
	 * before the mark is taken and back down when removal took it first, so that it never
	 * drops below the true number.
	 * @param call the abandoned call
	 * @return whether it was counted (and its I/O is still to be bounded)
	 */
	boolean countAbandoned(Call call) {
		this.abandoned.incrementAndGet();
		if (!call.abandonMark().takeOnAbandon()) {
			this.abandoned.decrementAndGet();
			return false;
		}
		return true;
	}

	private void freeSlot() {
		if (this.pending.decrementAndGet() == 0 && this.idleWaiters.get() > 0) {
			wakeIdleWaiters();
		}
	}

	/**
	 * Wait until no call holds a slot.
	 * @param timeoutNanos how long to wait at most
	 * @param stillWanted checked on every wake-up; the wait ends when it turns false
	 * @return whether the registry is empty
	 */
	boolean awaitIdle(long timeoutNanos, BooleanSupplier stillWanted) {
		long deadline = this.ticker.nanoTime() + timeoutNanos;
		this.idleWaiters.incrementAndGet();
		try {
			synchronized (this.idle) {
				while (this.pending.get() > 0 && stillWanted.getAsBoolean()) {
					long remaining = deadline - this.ticker.nanoTime();
					if (remaining <= 0) {
						break;
					}
					TimeUnit.NANOSECONDS.timedWait(this.idle, remaining);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.idleWaiters.decrementAndGet();
		}
		return this.pending.get() == 0;
	}

	/**
	 * Wake the threads in {@link #awaitIdle} so that they check whether they still want
	 * to wait.
	 */
	void wakeIdleWaiters() {
		synchronized (this.idle) {
			this.idle.notifyAll();
		}
	}

	@Nullable Call find(String callId) {
		return this.calls.get(callId);
	}

	@Nullable Call findByChannel(String channelId) {
		for (Call call : this.calls.values()) {
			if (channelId.equals(call.channelId())) {
				return call;
			}
		}
		return null;
	}

	/**
	 * The calls registered now.
	 * @return an immutable snapshot, in no particular order
	 */
	List<Call> snapshot() {
		return List.copyOf(this.calls.values());
	}

	/**
	 * The calls registered now, oldest first.
	 * @return an immutable snapshot
	 */
	List<Call> snapshotByStart() {
		List<Call> snapshot = new ArrayList<>(this.calls.values());
		snapshot.sort(Comparator.comparingLong(Call::startNanos));
		return List.copyOf(snapshot);
	}

	/**
	 * Abandon every registered call that has no outcome yet.
	 * @return how many this abandoned
	 */
	int abandonAll() {
		int count = 0;
		for (Call call : this.calls.values()) {
			if (call.abandon().changed()) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Abort calls: release every caller first, then close the sockets, so that no caller
	 * waits behind another call's socket close; a call of the non-blocking form whose
	 * processing task was handed over and has not run is ended here as aborted
	 * ({@link Call#endUnprocessed}), so that a task an executor dropped cannot keep it.
	 * @param victims the calls, a snapshot
	 * @param reason why, or {@code null}
	 * @return how many calls this changed, and whether it cancelled running I/O
	 */
	static Released abortAll(List<Call> victims, @Nullable String reason) {
		boolean[] released = new boolean[victims.size()];
		for (int i = 0; i < released.length; i++) {
			released[i] = victims.get(i).abortCaller(reason);
		}
		int changed = 0;
		boolean ioCancelled = false;
		for (int i = 0; i < released.length; i++) {
			Call victim = victims.get(i);
			boolean cancelled = victim.cancelIo();
			ioCancelled |= cancelled;
			boolean ended = victim.endUnprocessed(reason);
			if (cancelled || released[i] || ended) {
				changed++;
			}
		}
		return new Released(changed, ioCancelled);
	}

	/**
	 * Calls holding a slot, abandoned ones included.
	 * @return the count
	 */
	int pending() {
		return this.pending.get();
	}

	/**
	 * Abandoned calls whose I/O still runs.
	 * @return the count
	 */
	int abandoned() {
		return this.abandoned.get();
	}

	/**
	 * What releasing a set of calls did.
	 *
	 * @param affected how many calls it changed
	 * @param ioCancelled whether it cancelled running I/O
	 */
	record Released(int affected, boolean ioCancelled) {

		static final Released NONE = new Released(0, false);

	}

}
