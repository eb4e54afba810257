package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * How a call ends, decided exactly once: the transport's response, a transport failure, a
 * local failure, an abandon, an abort and the timeout race for it with one
 * compare-and-set, and only the winner acts on the caller.
 * <p>
 * Thread-safe: any thread may {@link #decide}; every other method reads the one decision.
 */
final class CallVerdict {

	private static final String PENDING = "PENDING";

	private static final AtomicReferenceFieldUpdater<CallVerdict, Decision> DECISION = AtomicReferenceFieldUpdater
		.newUpdater(CallVerdict.class, Decision.class, "decision");

	private final String callId;

	private final ProxySettings settings;

	private final Duration timeout;

	private final @Nullable String inheritedFrom;

	private volatile @Nullable Decision decision;

	/**
	 * The verdict of one call.
	 * @param callId the call id
	 * @param settings the proxy's settings
	 * @param timeout the call's effective timeout
	 * @param inheritedFrom what the timeout was inherited from (an upstream scope's
	 * name), or {@code null} when it is the call's own
	 */
	CallVerdict(String callId, ProxySettings settings, Duration timeout, @Nullable String inheritedFrom) {
		this.callId = callId;
		this.settings = settings;
		this.timeout = timeout;
		this.inheritedFrom = inheritedFrom;
	}

	/**
	 * Decide the call, unless something decided it first.
	 * @param decision the decision
	 * @return whether this decided the call
	 */
	boolean decide(Decision decision) {
		return DECISION.compareAndSet(this, null, decision);
	}

	@Nullable Decision current() {
		return this.decision;
	}

	/**
	 * The decision, which must have been made.
	 * @return the decision
	 */
	Decision decided() {
		Decision decided = this.decision;
		if (decided == null) {
			throw new IllegalStateException("Call " + this.callId + " has no outcome yet");
		}
		return decided;
	}

	/**
	 * The exception a caller gets for a cancellation.
	 * @param cancelled the decision, a cancellation
	 * @return a new exception naming the call and the proxy
	 */
	ServiceCallException exceptionFor(Decision cancelled) {
		String proxyName = this.settings.name();
		return switch (cancelled.outcome()) {
			case ABANDONED -> new CallAbandonedException(this.callId, proxyName);
			case ABORTED -> new CallAbortedException(this.callId, proxyName, cancelled.reason());
			case TIMED_OUT -> new CallTimedOutException(this.callId, proxyName, this.timeout,
					this.settings.timeoutAction(), this.inheritedFrom);
			default -> throw new IllegalStateException("Call " + this.callId + " was not cancelled");
		};
	}

	/**
	 * The cancellation that decided the call, if one did.
	 * @return the decision, or {@code null} when the call is undecided or was not
	 * cancelled
	 */
	@Nullable Decision cancellation() {
		Decision decided = this.decision;
		return (decided != null && decided.outcome().isCancellation()) ? decided : null;
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
			return (thrown instanceof SoapFaultClientException) ? CallOutcome.FAULT : CallOutcome.FAILED;
		}
		return decided.outcome();
	}

	/**
	 * The call's state as a verb shows it: {@code PENDING} until a cancellation or a
	 * failure decided it.
	 * @return the label
	 */
	String label() {
		Decision decided = this.decision;
		return (decided == null || decided == Decision.RESPONDED) ? PENDING : decided.outcome().name();
	}

	/**
	 * The outcome to list for a call in flight: none while undecided or answered.
	 * @return the outcome, or {@code null}
	 */
	@Nullable CallOutcome shown() {
		Decision decided = this.decision;
		return (decided != null && decided != Decision.RESPONDED) ? decided.outcome() : null;
	}

	static String pendingLabel() {
		return PENDING;
	}

	/**
	 * The value a call's outcome is decided with.
	 *
	 * @param outcome the outcome
	 * @param reason why, for an abort; else {@code null}
	 */
	record Decision(CallOutcome outcome, @Nullable String reason) {

		static final Decision RESPONDED = new Decision(CallOutcome.COMPLETED, null);

		static final Decision TRANSPORT_FAILED = new Decision(CallOutcome.FAILED, null);

		static final Decision LOCAL_FAILURE = new Decision(CallOutcome.FAILED, null);

		static final Decision ABANDONED = new Decision(CallOutcome.ABANDONED, null);

		static final Decision TIMED_OUT = new Decision(CallOutcome.TIMED_OUT, null);

		static Decision aborted(@Nullable String reason) {
			return new Decision(CallOutcome.ABORTED, reason);
		}

	}

}
