package io.github.cancellablesoap.client;

import java.util.Map;

import io.github.cancellablesoap.core.Ticker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tells a proxy's {@link CallListener} what happens to its calls, isolating the proxy
 * from it: a listener method that throws is logged and skipped, and the call goes on.
 * <p>
 * A call whose start the listener heard keeps a {@link Listened} (the listener, what it
 * keeps for the call, the trace id); its end goes to that same listener even when
 * {@link #setListener} replaced it meanwhile. A call admitted while there is no listener
 * carries nothing for listeners.
 * <p>
 * Thread-safe: every method may be called from any thread (caller, I/O or timer thread).
 */
final class CallNotifier {

	private static final Log logger = LogFactory.getLog(CallNotifier.class);

	private final String proxyName;

	private final Ticker ticker;

	private volatile CallListener listener = CallListener.NONE;

	CallNotifier(String proxyName, Ticker ticker) {
		this.proxyName = proxyName;
		this.ticker = ticker;
	}

	void setListener(CallListener listener) {
		this.listener = listener;
	}

	/**
	 * Tell the listener that a call starts. A listener that throws hears nothing more of
	 * this call.
	 * @param callId the call id
	 * @return what the call keeps for its listener, or {@code null} when none heard it
	 */
	@Nullable Listened started(String callId) {
		CallListener current = this.listener;
		if (current == CallListener.NONE) {
			return null;
		}
		@Nullable Object state;
		try {
			state = current.callStarted(new CallListener.StartedCall(this.proxyName, callId));
		}
		catch (RuntimeException ex) {
			failed("callStarted", ex);
			return null;
		}
		String traceId = null;
		try {
			traceId = current.traceId(state);
		}
		catch (RuntimeException ex) {
			failed("traceId", ex);
		}
		return new Listened(current, state, traceId);
	}

	/**
	 * The headers the listener that heard a call start wants sent with its request.
	 * @param started what the call keeps for its listener, or {@code null}
	 * @param callId the call id, for the log
	 * @return the headers, empty when there are none or the listener failed
	 */
	Map<String, String> requestHeaders(@Nullable Listened started, String callId) {
		if (started == null) {
			return Map.of();
		}
		try {
			return started.listener().requestHeaders(started.state());
		}
		catch (RuntimeException ex) {
			logger.warn("Call listener of proxy '" + this.proxyName + "' failed giving request headers for call "
					+ callId + "; the call goes on without them", ex);
			return Map.of();
		}
	}

	/**
	 * Tell the listener that heard a call start how it ended.
	 * @param call the call
	 * @param outcome its outcome
	 * @param failure what its caller got, or {@code null}
	 */
	void ended(Call call, CallOutcome outcome, @Nullable Throwable failure) {
		Listened started = call.listened();
		if (started == null) {
			return;
		}
		try {
			started.listener()
				.callEnded(new CallListener.EndedCall(this.proxyName, call.callId(), call.operationName(), outcome,
						this.ticker.nanoTime() - call.startNanos(), failure), started.state());
		}
		catch (RuntimeException ex) {
			failed("callEnded", ex);
		}
	}

	/**
	 * Tell the listener that a call was rejected.
	 * @param rejection the rejection
	 * @return the rejection, to throw
	 */
	CallRejectedException rejected(CallRejectedException rejection) {
		try {
			this.listener.callRejected(this.proxyName, rejection.getCallId());
		}
		catch (RuntimeException ex) {
			failed("callRejected", ex);
		}
		return rejection;
	}

	/**
	 * Tell the listener that something was aborted.
	 * @param target what: {@code proxy}, {@code call} or {@code channel}
	 * @param reason why, for example {@code requested} or {@code call-timeout}
	 * @param initiator who: {@code proxy}, {@code application} or an operator
	 * @param cancelledIo whether running I/O was cancelled
	 */
	void aborted(String target, String reason, String initiator, boolean cancelledIo) {
		try {
			this.listener.aborted(new CallListener.AbortEvent(this.proxyName, target, reason, initiator, cancelledIo));
		}
		catch (RuntimeException ex) {
			failed("aborted", ex);
		}
	}

	private void failed(String hook, RuntimeException ex) {
		logger.warn("Call listener of proxy '" + this.proxyName + "' failed in " + hook + "; it is skipped", ex);
	}

	/**
	 * The listener that heard a call start, what it keeps for the call, and the trace id
	 * it gave.
	 */
	record Listened(CallListener listener, @Nullable Object state, @Nullable String traceId) {

	}

}
