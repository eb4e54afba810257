package io.github.cancellablesoap.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.github.cancellablesoap.client.CallVerdict.Decision;
import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.VerbResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One call through a {@link DefaultServiceProxy}: ties together its {@link CallVerdict
 * outcome}, {@link CallDeadline deadline}, {@link CallExchange channel}, the
 * {@link CallAnswer answer} its caller waits for and its place in the
 * {@link CallRegistry}, and carries out the verbs (abandon, abort, timeout) on them.
 * <p>
 * Binding the channel and deciding follow grpc's re-check pattern: each side writes its
 * own field, then reads the other's, so an abort that arrives before the channel exists
 * is seen by {@link #attach} and an abort that arrives after is applied to the channel. A
 * submitted call's pending call is tied in the same way ({@link #submitted}).
 * <p>
 * Thread-safe; see {@link CarriedCall} for which thread calls what. {@link #abandon},
 * {@link #abort}, {@link #abortCaller}, {@link #cancelIo} and {@link #timeOutNow} may be
 * called from any thread; {@link #finish}, {@link #callerLeft} and
 * {@link #interruptDeferred} on the caller's thread.
 */
final class Call implements CarriedCall {

	private static final Log logger = LogFactory.getLog(Call.class);

	private final CallEnvironment environment;

	private final String id;

	private final CallDeadline deadline;

	private final CallVerdict verdict = new CallVerdict();

	private final CallExchange exchange = new CallExchange();

	private final CallAnswer answer = new CallAnswer();

	private final AbandonMark abandonMark = new AbandonMark();

	/**
	 * The listener that heard the call start; {@code null} when none did, so that such a
	 * call carries nothing for listeners. Volatile because snapshots read the trace id on
	 * other threads.
	 */
	private volatile CallNotifier.@Nullable Listened listened;

	private volatile CallPhase phase = CallPhase.PREPARING;

	private volatile @Nullable String operation;

	/** The pending call of a submitted call, set once right after admission. */
	private volatile @Nullable CallFuture<?> submission;

	/**
	 * Caller thread only: the caller was interrupted while it waited. The flag is set
	 * again when the caller leaves the proxy, not at once, so that a response that won
	 * over the interrupt is still read (SAAJ refuses to parse on an interrupted thread).
	 */
	private boolean interruptDeferred;

	Call(CallEnvironment environment, String id, Duration timeout) {
		this.environment = environment;
		this.id = id;
		this.deadline = new CallDeadline(environment.ticker(), timeout);
	}

	@Override
	public String callId() {
		return this.id;
	}

	@Override
	public long remainingMillis() {
		return this.deadline.remainingMillis();
	}

	long remainingNanos() {
		return this.deadline.remainingNanos();
	}

	@Override
	public Map<String, String> requestHeaders() {
		return this.environment.notifier().requestHeaders(this.listened, this.id);
	}

	@Override
	public void operation(String operation) {
		this.operation = operation;
	}

	@Override
	public void attach(Channel channel) {
		this.exchange.bind(channel);
		Decision decided = this.verdict.current();
		if (decided == null && this.deadline.passed()) {
			timeOut();
			decided = this.verdict.current();
		}
		if (decided != null) {
			this.exchange.unbind();
			throw exceptionFor(decided);
		}
	}

	@Override
	public void phase(CallPhase phase) {
		this.phase = phase;
	}

	@Override
	public boolean responded(Object response) {
		if (this.verdict.decide(Decision.RESPONDED)) {
			this.phase = CallPhase.PROCESSING;
			this.answer.respond(response);
			return true;
		}
		return false;
	}

	@Override
	public void failed(IOException failure) {
		if (this.verdict.decide(Decision.TRANSPORT_FAILED)) {
			this.answer.fail(failure);
		}
	}

	@Override
	public void exchangeEnded() {
		this.exchange.ended();
		release();
	}

	@Override
	public Object awaitResponse() throws IOException {
		Object answered;
		try {
			answered = this.answer.await(this.deadline, this::timeOut);
		}
		catch (InterruptedException ex) {
			Aborted aborted = abort("caller thread interrupted");
			if (aborted.changed()) {
				this.environment.notifier().aborted("call", "interrupted", "application", aborted.ioCancelled());
			}
			this.interruptDeferred = true;
			answered = this.answer.awaitDecided();
		}
		if (answered == CallAnswer.RELEASED) {
			throw exceptionFor(this.verdict.decided(this.id));
		}
		return answered;
	}

	/**
	 * Abandon the call: release the caller, keep its I/O running under the abandoned-I/O
	 * limit.
	 * @return what the abandon did
	 */
	VerbResult abandon() {
		if (!this.verdict.decide(Decision.ABANDONED)) {
			return VerbResult.unchanged(this.verdict.label());
		}
		markAbandoned();
		released(Decision.ABANDONED);
		return new VerbResult(CallVerdict.pendingLabel(), CallOutcome.ABANDONED.name(), true, false, 1);
	}

	/**
	 * Abort the call's channel, releasing the caller if it still waits.
	 * @param reason why, or {@code null}
	 * @return whether this released the caller, and whether it cancelled running I/O
	 */
	Aborted abort(@Nullable String reason) {
		Decision abort = Decision.aborted(reason);
		boolean won = this.verdict.decide(abort);
		boolean cancelledIo = cancelIo();
		if (won) {
			released(abort);
		}
		return new Aborted(won, cancelledIo, won ? CallVerdict.pendingLabel() : this.verdict.label());
	}

	/**
	 * Abort the call on request, and tell the listener when that changed anything.
	 * @param target what the request named: {@code call} or {@code channel}
	 * @param reason why, or {@code null}
	 * @return what the abort did
	 */
	Aborted abortRequested(String target, @Nullable String reason) {
		Aborted aborted = abort(reason);
		if (aborted.changed()) {
			this.environment.notifier().aborted(target, "requested", AbortInitiator.current(), aborted.ioCancelled());
		}
		return aborted;
	}

	/**
	 * The first half of an abort: decide it and release the caller, leaving the I/O to
	 * {@link #cancelIo()}, so that a proxy abort releases every caller before it closes
	 * sockets.
	 * @param reason why, or {@code null}
	 * @return whether this won the decision
	 */
	boolean abortCaller(@Nullable String reason) {
		Decision abort = Decision.aborted(reason);
		if (!this.verdict.decide(abort)) {
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
		return this.exchange.cancel();
	}

	/**
	 * Time the call out now unless it already has an outcome: the timeout of a submitted
	 * call that is still queued, which has no caller waiting to notice its deadline.
	 */
	void timeOutNow() {
		timeOut();
	}

	private void timeOut() {
		if (!this.verdict.decide(Decision.TIMED_OUT)) {
			return;
		}
		if (this.environment.settings().timeoutAction() == TimeoutAction.ABORT) {
			this.environment.notifier().aborted("call", "call-timeout", "proxy", cancelIo());
		}
		else {
			markAbandoned();
		}
		released(Decision.TIMED_OUT);
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
		this.answer.release();
	}

	/**
	 * Tie a submitted call to its pending call; a cancellation that decided the call
	 * before this is handed over at once (each side writes its own field, then reads the
	 * other's).
	 * @param pending the pending call
	 */
	void submitted(CallFuture<?> pending) {
		this.submission = pending;
		Decision cancelled = this.verdict.cancellation();
		if (cancelled != null) {
			pending.released(cancelled.outcome(), exceptionFor(cancelled));
		}
	}

	private void markAbandoned() {
		if (this.environment.registry().countAbandoned(this)) {
			this.exchange.limitAbandoned(this.environment.timer(), this.environment.settings().abandonedIoTimeout(),
					this::abandonedIoAborted);
		}
	}

	private void abandonedIoAborted() {
		this.environment.notifier().aborted("channel", "abandoned-io-timeout", "proxy", true);
		logger.warn(
				"Proxy '" + this.environment.proxyName() + "' aborted the I/O of abandoned call " + this.id + " after "
						+ this.environment.settings().abandonedIoTimeout().toMillis() + " ms (abandoned-io-timeout)");
	}

	/**
	 * Decide the outcome of a call whose caller got out of the template, with or without
	 * an exception.
	 * @param thrown what the template threw, or {@code null}
	 * @return the outcome
	 */
	CallOutcome finish(@Nullable Throwable thrown) {
		return this.verdict.finish(thrown, this.id);
	}

	/**
	 * The exception to throw to the caller when a cancellation decided the call.
	 * @return the exception, or {@code null} when the call was not cancelled
	 */
	@Nullable ServiceCallException cancellation() {
		Decision cancelled = this.verdict.cancellation();
		return (cancelled != null) ? exceptionFor(cancelled) : null;
	}

	/**
	 * End a submitted call whose task never ran: its caller part ends here.
	 * @param outcome its outcome
	 * @param thrown what a caller would have got
	 */
	void endUnstarted(CallOutcome outcome, Throwable thrown) {
		this.environment.notifier().ended(this, outcome, thrown);
		callerLeft();
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
		if (this.exchange.release()) {
			this.environment.registry().remove(this);
		}
	}

	private ServiceCallException exceptionFor(Decision decided) {
		String proxyName = this.environment.proxyName();
		return switch (decided.outcome()) {
			case ABANDONED -> new CallAbandonedException(this.id, proxyName);
			case ABORTED -> new CallAbortedException(this.id, proxyName, decided.reason());
			case TIMED_OUT -> new CallTimedOutException(this.id, proxyName, this.deadline.timeout(),
					this.environment.settings().timeoutAction());
			default -> throw new IllegalStateException("Call " + this.id + " was not cancelled");
		};
	}

	String id() {
		return this.id;
	}

	/**
	 * Record the listener that heard the call start; called once, at admission.
	 * @param listened the listener and what it keeps for the call, or {@code null}
	 */
	void listened(CallNotifier.@Nullable Listened listened) {
		this.listened = listened;
	}

	CallNotifier.@Nullable Listened listened() {
		return this.listened;
	}

	@Nullable String operationName() {
		return this.operation;
	}

	@Nullable String channelId() {
		return this.exchange.channelId();
	}

	AbandonMark abandonMark() {
		return this.abandonMark;
	}

	long startNanos() {
		return this.deadline.startNanos();
	}

	CallInfo info(long nowNanos) {
		CallNotifier.Listened started = this.listened;
		return new CallInfo(this.id, this.environment.proxyName(), this.operation, this.deadline.startTime(),
				this.deadline.elapsed(nowNanos), this.phase, this.abandonMark.isCounted(), this.verdict.shown(),
				this.exchange.channelId(), (started != null) ? started.traceId() : null);
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

}
