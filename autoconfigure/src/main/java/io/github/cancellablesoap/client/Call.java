package io.github.cancellablesoap.client;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.github.cancellablesoap.core.VerbResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One call through a {@link DefaultServiceProxy}: decides, exactly once and atomically,
 * how the call ends, wakes its caller, and tracks its exchange until the I/O really ends.
 * <p>
 * The decision is a compare-and-set on {@link #decision}: the transport's response, a
 * transport failure, an abandon, an abort and the timeout race for it, and only the
 * winner acts on the caller. Binding the channel and deciding follow grpc's re-check
 * pattern: each side writes its own field, then reads the other's, so an abort that
 * arrives before the channel exists is seen by {@link #attach} and an abort that arrives
 * after is applied to the channel.
 * <p>
 * The abandoned count follows the same discipline: {@link #markAbandoned()} and the
 * call's removal race for one mark, so a call that leaves the registry between being
 * abandoned and being counted is never counted, and one that was counted is uncounted
 * exactly once.
 * <p>
 * Thread-safe; see {@link CarriedCall} for which thread calls what.
 */
final class Call implements CarriedCall {

	private static final Log logger = LogFactory.getLog(Call.class);

	private static final AtomicReferenceFieldUpdater<Call, Decision> DECISION = AtomicReferenceFieldUpdater
		.newUpdater(Call.class, Decision.class, "decision");

	private static final AtomicIntegerFieldUpdater<Call> ABANDON_MARK = AtomicIntegerFieldUpdater.newUpdater(Call.class,
			"abandonMark");

	/**
	 * The longest timeout a call keeps (about 73 years); longer ones are cut to it, so
	 * that deadline arithmetic on the monotonic clock cannot overflow.
	 */
	static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

	private static final int NOT_ABANDONED = 0;

	private static final int ABANDONED_COUNTED = 1;

	private static final int REMOVED = 2;

	private static final String PENDING = "PENDING";

	/** Completes the caller's wait when a cancellation wins; carries no stack trace. */
	private static final Exception RELEASED = new Exception("call released", null, false, false) {
	};

	private final DefaultServiceProxy proxy;

	private final String id;

	private final long startNanos;

	private final Instant startTime;

	private final Duration timeout;

	private final long deadlineNanos;

	private final CompletableFuture<Object> response = new CompletableFuture<>();

	/** Holders of the registry entry: the caller, and the exchange while its I/O runs. */
	private final AtomicInteger holders = new AtomicInteger(1);

	/**
	 * The listener that heard the call start, with what it keeps for the call; stays
	 * {@code null} when the proxy has no listener, so that such a call carries nothing
	 * for listeners. Volatile because snapshots read the trace id on other threads.
	 */
	private volatile @Nullable Listened listened;

	private volatile @Nullable Decision decision;

	private volatile @Nullable Channel channel;

	private volatile CallPhase phase = CallPhase.PREPARING;

	private volatile @Nullable String operation;

	/** NOT_ABANDONED, ABANDONED_COUNTED or REMOVED; see {@link #markAbandoned()}. */
	private volatile int abandonMark;

	/** The pending call of a submitted call, set once right after admission. */
	private volatile @Nullable CallFuture<?> submission;

	private volatile @Nullable ScheduledFuture<?> ioLimit;

	private volatile boolean ioEnded;

	/**
	 * Caller thread only: the caller was interrupted while it waited. The flag is set
	 * again when the caller leaves the proxy, not at once, so that a response that won
	 * over the interrupt is still read (SAAJ refuses to parse on an interrupted thread).
	 */
	private boolean interruptDeferred;

	Call(DefaultServiceProxy proxy, String id, Duration timeout) {
		this.proxy = proxy;
		this.id = id;
		this.startNanos = proxy.ticker().nanoTime();
		this.startTime = Instant.now();
		this.timeout = timeout;
		this.deadlineNanos = this.startNanos + timeoutNanos(timeout);
	}

	private static long timeoutNanos(Duration timeout) {
		if (timeout.getSeconds() >= MAX_TIMEOUT_NANOS / 1_000_000_000L) {
			return MAX_TIMEOUT_NANOS;
		}
		return timeout.toNanos();
	}

	@Override
	public String callId() {
		return this.id;
	}

	@Override
	public long remainingMillis() {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.deadlineNanos - this.proxy.ticker().nanoTime()));
	}

	/**
	 * The time left before the call times out.
	 * @return nanoseconds, at least 1
	 */
	long remainingNanos() {
		return Math.max(1, this.deadlineNanos - this.proxy.ticker().nanoTime());
	}

	@Override
	public Map<String, String> requestHeaders() {
		Listened started = this.listened;
		if (started == null) {
			return Map.of();
		}
		try {
			return started.listener().requestHeaders(started.state());
		}
		catch (RuntimeException ex) {
			logger.warn("Call listener of proxy '" + this.proxy.name() + "' failed giving request headers for call "
					+ this.id + "; the call goes on without them", ex);
			return Map.of();
		}
	}

	@Override
	public void operation(String operation) {
		this.operation = operation;
	}

	@Override
	public void attach(Channel channel) {
		this.holders.incrementAndGet();
		this.channel = channel;
		Decision decided = this.decision;
		if (decided == null && this.proxy.ticker().nanoTime() - this.deadlineNanos >= 0) {
			timeOut();
			decided = this.decision;
		}
		if (decided != null) {
			this.channel = null;
			endIo();
			this.holders.decrementAndGet();
			throw exceptionFor(decided);
		}
	}

	@Override
	public void phase(CallPhase phase) {
		this.phase = phase;
	}

	@Override
	public boolean responded(Object response) {
		if (decide(Decision.RESPONDED)) {
			this.phase = CallPhase.PROCESSING;
			this.response.complete(response);
			return true;
		}
		return false;
	}

	@Override
	public void failed(IOException failure) {
		if (decide(Decision.TRANSPORT_FAILED)) {
			this.response.completeExceptionally(failure);
		}
	}

	@Override
	public void exchangeEnded() {
		endIo();
		release();
	}

	private void endIo() {
		this.ioEnded = true;
		ScheduledFuture<?> limit = this.ioLimit;
		if (limit != null) {
			limit.cancel(false);
		}
	}

	@Override
	public Object awaitResponse() throws IOException {
		while (true) {
			try {
				long remaining = this.deadlineNanos - this.proxy.ticker().nanoTime();
				if (remaining > 0) {
					return this.response.get(remaining, TimeUnit.NANOSECONDS);
				}
				timeOut();
				return this.response.get();
			}
			catch (TimeoutException ex) {
				timeOut();
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof IOException failure) {
					throw failure;
				}
				throw exceptionFor(decided());
			}
			catch (InterruptedException ex) {
				Aborted aborted = abort("caller thread interrupted");
				if (aborted.changed()) {
					this.proxy.aborted("call", "interrupted", "application", aborted.ioCancelled());
				}
				this.interruptDeferred = true;
				return awaitDecided();
			}
		}
	}

	/**
	 * The caller's answer once the call is decided: the response when it won, even over
	 * an interrupt that came too late. The winner completes {@link #response} right after
	 * deciding, without I/O in between, so this wait is short.
	 */
	private Object awaitDecided() throws IOException {
		try {
			return this.response.join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			if (ex.getCause() instanceof IOException failure) {
				throw failure;
			}
			throw exceptionFor(decided());
		}
	}

	/**
	 * Abandon the call: release the caller, keep its I/O running under the abandoned-I/O
	 * limit.
	 * @return what the abandon did
	 */
	VerbResult abandon() {
		Decision abandon = new Decision(CallOutcome.ABANDONED, null);
		if (!decide(abandon)) {
			return VerbResult.unchanged(label(this.decision));
		}
		markAbandoned();
		released(abandon);
		return new VerbResult(PENDING, CallOutcome.ABANDONED.name(), true, false, 1);
	}

	/**
	 * Abort the call's channel, releasing the caller if it still waits.
	 * @param reason why, or {@code null}
	 * @return whether this released the caller, and whether it cancelled running I/O
	 */
	Aborted abort(@Nullable String reason) {
		Decision abort = new Decision(CallOutcome.ABORTED, reason);
		boolean won = decide(abort);
		boolean cancelledIo = cancelIo();
		if (won) {
			released(abort);
		}
		return new Aborted(won, cancelledIo, won ? PENDING : label(this.decision));
	}

	/**
	 * The first half of an abort: decide it and release the caller, leaving the I/O to
	 * {@link #cancelIo()}, so that a proxy abort releases every caller before it closes
	 * sockets.
	 * @param reason why, or {@code null}
	 * @return whether this won the decision
	 */
	boolean abortCaller(@Nullable String reason) {
		Decision abort = new Decision(CallOutcome.ABORTED, reason);
		if (!decide(abort)) {
			return false;
		}
		released(abort);
		return true;
	}

	/**
	 * Cancel the call's running I/O, whatever decided the call.
	 * @return whether running I/O was cancelled
	 */
	boolean cancelIo() {
		Channel current = this.channel;
		return current != null && current.abort();
	}

	/**
	 * Time the call out now unless it already has an outcome: the timeout of a submitted
	 * call that is still queued, which has no caller waiting to notice its deadline.
	 */
	void timeOutNow() {
		timeOut();
	}

	private void timeOut() {
		Decision timeout = new Decision(CallOutcome.TIMED_OUT, null);
		if (!decide(timeout)) {
			return;
		}
		if (this.proxy.settings().timeoutAction() == TimeoutAction.ABORT) {
			this.proxy.aborted("call", "call-timeout", "proxy", cancelIo());
		}
		else {
			markAbandoned();
		}
		released(timeout);
	}

	/**
	 * Wake whoever waits for the caller's answer, once a cancellation decided the call:
	 * the pending call of a submitted call first (it may never have started), then the
	 * caller.
	 */
	private void released(Decision decided) {
		CallFuture<?> pending = this.submission;
		if (pending != null) {
			pending.released(decided.outcome(), exceptionFor(decided));
		}
		this.response.completeExceptionally(RELEASED);
	}

	/**
	 * Tie a submitted call to its pending call; a cancellation that decided the call
	 * before this is handed over at once (each side writes its own field, then reads the
	 * other's).
	 * @param pending the pending call
	 */
	void submitted(CallFuture<?> pending) {
		this.submission = pending;
		Decision decided = this.decision;
		if (decided != null && decided.outcome().isCancellation()) {
			pending.released(decided.outcome(), exceptionFor(decided));
		}
	}

	/**
	 * Count the call as abandoned, unless it already left the registry. The count goes up
	 * before the mark is taken, and back down when removal took it first, so that the
	 * abandoned count never drops below the true number.
	 */
	private void markAbandoned() {
		this.proxy.abandonedCallsChanged(1);
		if (!ABANDON_MARK.compareAndSet(this, NOT_ABANDONED, ABANDONED_COUNTED)) {
			this.proxy.abandonedCallsChanged(-1);
			return;
		}
		if (this.channel != null) {
			ScheduledFuture<?> limit = this.proxy.timer()
				.schedule(this::abortAbandonedIo, this.proxy.settings().abandonedIoTimeout());
			this.ioLimit = limit;
			if (this.ioEnded) {
				limit.cancel(false);
			}
		}
	}

	private void abortAbandonedIo() {
		Channel current = this.channel;
		if (current != null && current.abort()) {
			this.proxy.abandonedIoAborted(this);
		}
	}

	boolean isAbandoned() {
		return this.abandonMark == ABANDONED_COUNTED;
	}

	/**
	 * Take the call's abandon mark as it leaves the registry.
	 * @return whether it was counted as abandoned, and must now be uncounted
	 */
	boolean removedWhileAbandoned() {
		return ABANDON_MARK.getAndSet(this, REMOVED) == ABANDONED_COUNTED;
	}

	@Nullable String operationName() {
		return this.operation;
	}

	/**
	 * Decide the outcome of a call whose caller got out of the template, with or without
	 * an exception.
	 * @param thrown what the template threw, or {@code null}
	 * @return the outcome
	 */
	CallOutcome finish(@Nullable Throwable thrown) {
		if (decide((thrown != null) ? Decision.LOCAL_FAILURE : Decision.RESPONDED)) {
			return (thrown != null) ? CallOutcome.FAILED : CallOutcome.COMPLETED;
		}
		Decision decided = decided();
		if (decided == Decision.RESPONDED) {
			if (thrown == null) {
				return CallOutcome.COMPLETED;
			}
			return DefaultServiceProxy.isSoapFault(thrown) ? CallOutcome.FAULT : CallOutcome.FAILED;
		}
		return decided.outcome();
	}

	/**
	 * The exception to throw to the caller when a cancellation decided the call.
	 * @return the exception, or {@code null} when the call was not cancelled
	 */
	@Nullable ServiceCallException cancellation() {
		Decision decided = this.decision;
		return (decided != null && decided.outcome().isCancellation()) ? exceptionFor(decided) : null;
	}

	void callerLeft() {
		release();
	}

	/**
	 * Whether the caller was interrupted while it waited; called on the caller's thread.
	 * @return {@code true} when the caller's interrupt flag must be set again
	 */
	boolean interruptDeferred() {
		return this.interruptDeferred;
	}

	private void release() {
		if (this.holders.decrementAndGet() == 0) {
			this.proxy.remove(this);
		}
	}

	private boolean decide(Decision outcome) {
		return DECISION.compareAndSet(this, null, outcome);
	}

	private static String label(@Nullable Decision decided) {
		return (decided == null || decided == Decision.RESPONDED) ? PENDING : decided.outcome().name();
	}

	private Decision decided() {
		Decision decided = this.decision;
		if (decided == null) {
			throw new IllegalStateException("Call " + this.id + " has no outcome yet");
		}
		return decided;
	}

	private ServiceCallException exceptionFor(Decision decided) {
		String proxyName = this.proxy.name();
		return switch (decided.outcome()) {
			case ABANDONED -> new CallAbandonedException(this.id, proxyName);
			case ABORTED -> new CallAbortedException(this.id, proxyName, decided.reason());
			case TIMED_OUT ->
				new CallTimedOutException(this.id, proxyName, this.timeout, this.proxy.settings().timeoutAction());
			default -> throw new IllegalStateException("Call " + this.id + " was not cancelled");
		};
	}

	String id() {
		return this.id;
	}

	/**
	 * Record the listener that heard the call start; called once, at admission.
	 * @param listened the listener and what it keeps for the call
	 */
	void listened(Listened listened) {
		this.listened = listened;
	}

	@Nullable Listened listened() {
		return this.listened;
	}

	@Nullable Channel channel() {
		return this.channel;
	}

	CallInfo info(long nowNanos) {
		Channel current = this.channel;
		Decision decided = this.decision;
		Listened started = this.listened;
		return new CallInfo(this.id, this.proxy.name(), this.operation, this.startTime,
				Duration.ofNanos(nowNanos - this.startNanos), this.phase, this.abandonMark == ABANDONED_COUNTED,
				(decided != null && decided != Decision.RESPONDED) ? decided.outcome() : null,
				(current != null) ? current.id() : null, (started != null) ? started.traceId() : null);
	}

	long startNanos() {
		return this.startNanos;
	}

	/**
	 * The listener that heard a call start, what it keeps for the call, and the trace id
	 * it gave.
	 */
	record Listened(CallListener listener, @Nullable Object state, @Nullable String traceId) {

	}

	/**
	 * What an abort of one call did.
	 *
	 * @param won whether it decided the call (and so released the caller)
	 * @param ioCancelled whether it cancelled running I/O
	 * @param before the call's state as the abort found it
	 */
	record Aborted(boolean won, boolean ioCancelled, String before) {

		boolean changed() {
			return this.won || this.ioCancelled;
		}

		VerbResult result() {
			String after = this.won ? CallOutcome.ABORTED.name() : this.before;
			return new VerbResult(this.before, after, changed(), this.ioCancelled, changed() ? 1 : 0);
		}

	}

	/**
	 * The value the call's outcome is decided with.
	 */
	private record Decision(CallOutcome outcome, @Nullable String reason) {

		static final Decision RESPONDED = new Decision(CallOutcome.COMPLETED, null);

		static final Decision TRANSPORT_FAILED = new Decision(CallOutcome.FAILED, null);

		static final Decision LOCAL_FAILURE = new Decision(CallOutcome.FAILED, null);

	}

}
