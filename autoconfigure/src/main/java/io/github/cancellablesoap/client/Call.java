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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

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
 * Thread-safe; see {@link CarriedCall} for which thread calls what.
 */
final class Call implements CarriedCall {

	private static final AtomicReferenceFieldUpdater<Call, Decision> DECISION = AtomicReferenceFieldUpdater
		.newUpdater(Call.class, Decision.class, "decision");

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

	private volatile boolean abandoned;

	private volatile @Nullable ScheduledFuture<?> ioLimit;

	private volatile boolean ioEnded;

	Call(DefaultServiceProxy proxy, String id, Duration timeout) {
		this.proxy = proxy;
		this.id = id;
		this.startNanos = proxy.ticker().nanoTime();
		this.startTime = Instant.now();
		this.timeout = timeout;
		this.deadlineNanos = this.startNanos + timeout.toNanos();
	}

	@Override
	public String callId() {
		return this.id;
	}

	@Override
	public long remainingMillis() {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.deadlineNanos - this.proxy.ticker().nanoTime()));
	}

	@Override
	public Map<String, String> requestHeaders() {
		Listened started = this.listened;
		return (started != null) ? started.listener().requestHeaders(started.state()) : Map.of();
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
				boolean changed = abort("caller thread interrupted");
				if (changed) {
					this.proxy.aborted("call", "interrupted", "application", this.channel != null);
				}
				Thread.currentThread().interrupt();
				throw exceptionFor(decided());
			}
		}
	}

	/**
	 * Abandon the call: release the caller, keep its I/O running under the abandoned-I/O
	 * limit.
	 * @return whether this won the decision
	 */
	boolean abandon() {
		if (!decide(new Decision(CallOutcome.ABANDONED, null))) {
			return false;
		}
		markAbandoned();
		this.response.completeExceptionally(RELEASED);
		return true;
	}

	/**
	 * Abort the call's channel, releasing the caller if it still waits.
	 * @param reason why, or {@code null}
	 * @return whether this released the caller or cancelled running I/O
	 */
	boolean abort(@Nullable String reason) {
		boolean won = decide(new Decision(CallOutcome.ABORTED, reason));
		boolean cancelledIo = cancelIo();
		if (won) {
			this.response.completeExceptionally(RELEASED);
		}
		return won || cancelledIo;
	}

	/**
	 * The first half of an abort: decide it and release the caller, leaving the I/O to
	 * {@link #cancelIo()}, so that a proxy abort releases every caller before it closes
	 * sockets.
	 * @param reason why, or {@code null}
	 * @return whether this won the decision
	 */
	boolean abortCaller(@Nullable String reason) {
		if (!decide(new Decision(CallOutcome.ABORTED, reason))) {
			return false;
		}
		this.response.completeExceptionally(RELEASED);
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

	private void timeOut() {
		if (!decide(new Decision(CallOutcome.TIMED_OUT, null))) {
			return;
		}
		if (this.proxy.settings().timeoutAction() == TimeoutAction.ABORT) {
			Channel current = this.channel;
			boolean cancelledIo = current != null && current.abort();
			this.proxy.aborted("call", "call-timeout", "proxy", cancelledIo);
		}
		else {
			markAbandoned();
		}
		this.response.completeExceptionally(RELEASED);
	}

	private void markAbandoned() {
		this.abandoned = true;
		this.proxy.abandonedCallsChanged(1);
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
		return this.abandoned;
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

	private void release() {
		if (this.holders.decrementAndGet() == 0) {
			this.proxy.remove(this);
		}
	}

	private boolean decide(Decision outcome) {
		return DECISION.compareAndSet(this, null, outcome);
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
				Duration.ofNanos(nowNanos - this.startNanos), this.phase, this.abandoned,
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
	 * The value the call's outcome is decided with.
	 */
	private record Decision(CallOutcome outcome, @Nullable String reason) {

		static final Decision RESPONDED = new Decision(CallOutcome.COMPLETED, null);

		static final Decision TRANSPORT_FAILED = new Decision(CallOutcome.FAILED, null);

		static final Decision LOCAL_FAILURE = new Decision(CallOutcome.FAILED, null);

	}

}
