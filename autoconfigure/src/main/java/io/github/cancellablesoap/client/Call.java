package io.github.cancellablesoap.client;

import java.io.IOException;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.cancellablesoap.client.CallVerdict.Decision;
import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.VerbResult;
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
 * A call made while a {@link io.github.cancellablesoap.core.CancellationScope} is current
 * (a server operation's) {@link CallUpstream follows} it: its deadline is the earlier of
 * the two, and the scope's cancellation aborts it.
 * <p>
 * About 350 lines because the two faces of a call meet here: the transport's
 * ({@link CarriedCall}) and the verbs (the operator's, the timeout's and the upstream
 * scope's); each method is a few lines over the parts above.
 * <p>
 * Thread-safe; see {@link CarriedCall} for which thread calls what. {@link #abandon},
 * {@link #abort}, {@link #abortCaller}, {@link #cancelIo}, {@link #timeOut} and
 * {@link #upstreamCancelled} may be called from any thread; {@link #finish},
 * {@link #callerLeft} and {@link #interruptDeferred} on the caller's thread.
 */
final class Call implements CarriedCall {

	private final CallEnvironment environment;

	private final String id;

	private final CallDeadline deadline;

	private final CallVerdict verdict;

	private final CallExchange exchange = new CallExchange();

	private final CallAnswer answer;

	private final AbandonMark abandonMark = new AbandonMark();

	private final CallUpstream upstream;

	/**
	 * The listener that heard the call start; {@code null} when none did, so that such a
	 * call carries nothing for listeners. Volatile because snapshots read the trace id on
	 * other threads.
	 */
	private volatile CallNotifier.@Nullable Listened listened;

	private volatile CallPhase phase = CallPhase.PREPARING;

	private volatile @Nullable String operation;

	Call(CallEnvironment environment, String id, Duration timeout) {
		this(environment, id, CallUpstream.none(timeout));
	}

	/**
	 * A call whose timeout is the earlier of its own and its upstream scope's deadline.
	 * @param environment what the proxy's calls share
	 * @param id the call id
	 * @param upstream what it inherits; {@link #follow} starts listening to it
	 */
	Call(CallEnvironment environment, String id, CallUpstream upstream) {
		this.environment = environment;
		this.id = id;
		this.upstream = upstream;
		this.deadline = CallDeadline.start(environment.ticker(), upstream.timeout());
		this.verdict = new CallVerdict(id, environment.settings(), upstream.timeout(), upstream.inheritedFrom());
		this.answer = new CallAnswer(this.verdict);
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
			throw this.verdict.exceptionFor(decided);
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
			if (failure instanceof SSLException) {
				this.answer.fail(new CallFailedException(this.id, this.environment.proxyName(), failure));
			}
			else {
				this.answer.fail(failure);
			}
		}
	}

	@Override
	public void exchangeEnded() {
		this.exchange.ended();
		release();
	}

	@Override
	public Object awaitResponse() throws IOException {
		return this.answer.await(this.deadline, this::timeOut, () -> {
			CallAborted aborted = abort("caller thread interrupted");
			if (aborted.changed()) {
				this.environment.notifier().aborted("call", "interrupted", "application", aborted.ioCancelled());
			}
		});
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
		this.answer.release(Decision.ABANDONED);
		return new VerbResult(CallVerdict.pendingLabel(), CallOutcome.ABANDONED.name(), true, false, 1);
	}

	/**
	 * Abort the call's channel, releasing the caller if it still waits.
	 * @param reason why, or {@code null}
	 * @return whether this released the caller, and whether it cancelled running I/O
	 */
	CallAborted abort(@Nullable String reason) {
		Decision abort = Decision.aborted(reason);
		boolean won = this.verdict.decide(abort);
		boolean cancelledIo = cancelIo();
		if (won) {
			this.answer.release(abort);
		}
		return new CallAborted(won, cancelledIo, won ? CallVerdict.pendingLabel() : this.verdict.label());
	}

	/**
	 * Abort the call on request, and tell the listener when that changed anything.
	 * @param target what the request named: {@code call} or {@code channel}
	 * @param reason why, or {@code null}
	 * @return what the abort did
	 */
	CallAborted abortRequested(String target, @Nullable String reason) {
		CallAborted aborted = abort(reason);
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
		this.answer.release(abort);
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
	 * Time the call out unless it already has an outcome: when its waiting caller sees
	 * the deadline pass, or, for a submitted call still queued, when its timer fires.
	 */
	void timeOut() {
		if (!this.verdict.decide(Decision.TIMED_OUT)) {
			return;
		}
		if (this.environment.settings().timeoutAction() == TimeoutAction.ABORT) {
			this.environment.notifier().aborted("call", "call-timeout", "proxy", cancelIo());
		}
		else {
			markAbandoned();
		}
		this.answer.release(Decision.TIMED_OUT);
	}

	/**
	 * Start following the upstream scope, once the call is admitted: its cancellation
	 * ends the call, at once when it already happened.
	 */
	void follow() {
		this.upstream.follow(this);
	}

	/**
	 * End the call because its upstream scope was cancelled: time it out when the scope's
	 * deadline ran out (the call's deadline is the same one), else abort it with a reason
	 * that names the upstream cause. Its I/O is cancelled also when the call was already
	 * abandoned. Runs on the cancelling thread: it never blocks.
	 * @param reason the abort's reason
	 * @param expired whether the scope's deadline ran out
	 */
	void upstreamCancelled(String reason, boolean expired) {
		if (expired) {
			timeOut();
			return;
		}
		CallAborted aborted = abort(reason);
		if (aborted.changed()) {
			this.environment.notifier().aborted("call", "upstream-cancelled", "upstream", aborted.ioCancelled());
		}
	}

	/**
	 * Hand the call's answer to a non-blocking caller once there is one: the response, a
	 * transport failure, or the release by a cancellation. It then reads it through the
	 * connection ({@link #awaitResponse()} returns at once).
	 * @param onAnswer told once, on the thread that completed the answer (or at once)
	 */
	void whenAnswered(BiConsumer<Object, @Nullable Throwable> onAnswer) {
		this.answer.whenAnswered(onAnswer);
	}

	/**
	 * Tie a submitted call to its pending call, which a cancellation releases even before
	 * its task runs, or a call of the non-blocking form to its result, which a proxy
	 * abort ends when its task never runs ({@link #endUnprocessed}).
	 * @param pending the pending call
	 */
	void submitted(CallResult<?> pending) {
		this.answer.submitted(pending);
	}

	/**
	 * The last part of a proxy abort (or of a close past its close-timeout), after
	 * {@link #abortCaller} and {@link #cancelIo}: end the call as aborted if its result's
	 * processing task was handed to an executor and has not run (one that dropped it
	 * would otherwise keep the call pending for good).
	 * @param reason the abort's reason
	 * @return whether this ended the call
	 */
	boolean endUnprocessed(@Nullable String reason) {
		CallResult<?> pending = this.answer.submission();
		return pending != null && pending.endUnprocessed(reason);
	}

	/**
	 * The exception a caller gets for an abort of this call.
	 * @param reason the abort's reason
	 * @return a new exception naming the call and the proxy
	 */
	ServiceCallException abortedException(@Nullable String reason) {
		return this.verdict.exceptionFor(Decision.aborted(reason));
	}

	private void markAbandoned() {
		if (this.environment.registry().countAbandoned(this)) {
			this.exchange.limitAbandoned(this.environment, this.id);
		}
	}

	/**
	 * Decide the outcome of a call whose caller got out of the template, with or without
	 * an exception.
	 * @param thrown what the template threw, or {@code null}
	 * @return the outcome
	 */
	CallOutcome finish(@Nullable Throwable thrown) {
		return this.verdict.finish(thrown);
	}

	/**
	 * The exception to throw to the caller when a cancellation decided the call.
	 * @return the exception, or {@code null} when the call was not cancelled
	 */
	@Nullable ServiceCallException cancellation() {
		Decision cancelled = this.verdict.cancellation();
		return (cancelled != null) ? this.verdict.exceptionFor(cancelled) : null;
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
		return this.answer.interruptDeferred();
	}

	private void release() {
		if (this.exchange.release()) {
			this.upstream.release();
			this.environment.registry().remove(this);
		}
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

}
