package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Lifecycle;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.core.VerbResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * The standard {@link ServiceProxy}: a {@link WebServiceTemplate} whose calls run on the
 * caller's thread through an abortable {@link ProxyTransport}, tracked in a registry of
 * calls in flight.
 * <p>
 * A call costs no hand-off: the caller marshals, the transport sends asynchronously, and
 * the caller waits on a future that the response, a failure, an abandon, an abort or the
 * timeout completes, whichever is first. Admission registers the call, then re-checks the
 * state, so a call racing {@link #abort} or {@link #close} is either seen by it or
 * rejected.
 * <p>
 * The lifecycle follows the shared {@link Lifecycle} table; the transport runs exactly
 * while the proxy is open (an abort stops it after cancelling every call's I/O). An abort
 * or close snapshots the calls to end under the lifecycle lock, when it makes its
 * transition, so that it never reaches calls of a later opening. Listeners are isolated:
 * one that throws is logged and skipped, and the call goes on.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class DefaultServiceProxy extends DelegatingOperations implements ServiceProxy {

	private static final Log logger = LogFactory.getLog(DefaultServiceProxy.class);

	private static final Ids CALL_IDS = new Ids("c");

	private final ProxySettings settings;

	private final WebServiceTemplate template;

	private final CancellationTimer timer;

	private final Ticker ticker;

	private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private static final ProxyState[] STATES = states();

	private final Object lock = new Object();

	private final Lifecycle lifecycle;

	private final Object drained = new Object();

	private final AtomicInteger abandoned = new AtomicInteger();

	private volatile CallListener listener = CallListener.NONE;

	/**
	 * Create a proxy in state CREATED.
	 * @param settings the proxy's settings
	 * @param template the template that marshals and unmarshals; its message senders are
	 * replaced by the transport's sender
	 * @param transport the abortable transport
	 * @param timer the timer that enforces abandoned-I/O limits
	 * @param ticker the clock for deadlines and elapsed times
	 */
	public DefaultServiceProxy(ProxySettings settings, WebServiceTemplate template, ProxyTransport transport,
			CancellationTimer timer, Ticker ticker) {
		this.settings = settings;
		this.template = template;
		this.timer = timer;
		this.ticker = ticker;
		this.lifecycle = new Lifecycle("proxy '" + settings.name() + "'", this.lock, new TransportResource(transport),
				Lifecycle.Observer.NONE);
		template.setMessageSender(transport.messageSender());
		if (template.getDefaultUri() == null) {
			template.setDefaultUri(settings.address().toString());
		}
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public URI address() {
		return this.settings.address();
	}

	@Override
	public ProxyState state() {
		return STATES[this.lifecycle.state().ordinal()];
	}

	/**
	 * Set the listener that hears about calls; replaces the previous one.
	 * @param listener the listener, {@link CallListener#NONE} for none
	 */
	public void setCallListener(CallListener listener) {
		this.listener = listener;
	}

	/**
	 * The settings the proxy was built with.
	 * @return the settings
	 */
	public ProxySettings settings() {
		return this.settings;
	}

	@Override
	public VerbResult openAndReport() {
		Lifecycle.Transition opened = this.lifecycle.open();
		if (opened.from() == opened.to()) {
			return VerbResult.unchanged(opened.to().name());
		}
		return new VerbResult(opened.from().name(), opened.to().name(), true, false, 0);
	}

	@Override
	public VerbResult abortAndReport(@Nullable String reason) {
		Lifecycle.Transition aborted;
		List<Call> victims;
		synchronized (this.lock) {
			aborted = this.lifecycle.abort();
			if (aborted == null) {
				return VerbResult.unchanged(this.lifecycle.state().name());
			}
			victims = (aborted.from() != Lifecycle.State.OPENING) ? new ArrayList<>(this.calls.values()) : List.of();
		}
		Released released = abortAll(victims, reason);
		if (aborted.from() != Lifecycle.State.OPENING) {
			aborted("proxy", "requested", AbortInitiator.current(), released.ioCancelled());
		}
		if (aborted.from() == Lifecycle.State.CLOSING) {
			signalDrained();
		}
		this.lifecycle.settle();
		logger.info("Proxy '" + name() + "' aborted (" + aborted.from() + " -> " + aborted.to() + ")"
				+ ((reason != null) ? ": " + reason : ""));
		return new VerbResult(aborted.from().name(), aborted.to().name(), true, released.ioCancelled(),
				released.affected());
	}

	@Override
	public VerbResult closeAndReport() {
		Lifecycle.Transition closing = this.lifecycle.beginClose();
		if (closing == null) {
			return VerbResult.unchanged(this.lifecycle.state().name());
		}
		if (closing.to() == Lifecycle.State.CLOSED) {
			return new VerbResult(closing.from().name(), closing.to().name(), true, false, 0);
		}
		int inFlight = this.pending.get();
		awaitDrained(closing, this.settings.closeTimeout());
		List<Call> left;
		synchronized (this.lock) {
			left = this.lifecycle.completeClose(closing) ? new ArrayList<>(this.calls.values()) : List.of();
		}
		Released released = abortAll(left,
				"proxy closed; close-timeout of " + this.settings.closeTimeout().toMillis() + " ms passed");
		if (released.affected() > 0) {
			aborted("call", "close-timeout", "proxy", released.ioCancelled());
		}
		this.lifecycle.settle();
		return new VerbResult(closing.from().name(), Lifecycle.State.CLOSED.name(), true, released.ioCancelled(),
				inFlight);
	}

	@Override
	public VerbResult resetAndReport() {
		Lifecycle.Transition reset = this.lifecycle.reset();
		return new VerbResult(reset.from().name(), reset.to().name(), true, false, 0);
	}

	@Override
	public Optional<VerbResult> abandonAndReport(String callId) {
		Call call = this.calls.get(callId);
		return (call != null) ? Optional.of(call.abandon()) : Optional.empty();
	}

	@Override
	public int abandonAll() {
		int count = 0;
		for (Call call : this.calls.values()) {
			if (call.abandon().changed()) {
				count++;
			}
		}
		return count;
	}

	@Override
	public Optional<VerbResult> abortCallAndReport(String callId, @Nullable String reason) {
		Call call = this.calls.get(callId);
		return (call != null) ? Optional.of(abort(call, "call", reason)) : Optional.empty();
	}

	@Override
	public Optional<VerbResult> abortChannelAndReport(String channelId, @Nullable String reason) {
		for (Call call : this.calls.values()) {
			Channel channel = call.channel();
			if (channel != null && channel.id().equals(channelId)) {
				return Optional.of(abort(call, "channel", reason));
			}
		}
		return Optional.empty();
	}

	private VerbResult abort(Call call, String target, @Nullable String reason) {
		Call.Aborted aborted = call.abort(reason);
		if (aborted.changed()) {
			aborted(target, "requested", AbortInitiator.current(), aborted.ioCancelled());
		}
		return aborted.result();
	}

	@Override
	public List<CallInfo> calls() {
		long now = this.ticker.nanoTime();
		List<Call> snapshot = new ArrayList<>(this.calls.values());
		snapshot.sort(Comparator.comparingLong(Call::startNanos));
		List<CallInfo> infos = new ArrayList<>(snapshot.size());
		for (Call call : snapshot) {
			infos.add(call.info(now));
		}
		return List.copyOf(infos);
	}

	@Override
	public Optional<CallInfo> call(String callId) {
		Call call = this.calls.get(callId);
		return (call != null) ? Optional.of(call.info(this.ticker.nanoTime())) : Optional.empty();
	}

	@Override
	public int pendingCalls() {
		return this.pending.get();
	}

	@Override
	public int abandonedCalls() {
		return this.abandoned.get();
	}

	@Override
	public WebServiceOperations withCallTimeout(Duration callTimeout) {
		if (callTimeout.isZero() || callTimeout.isNegative()) {
			throw new IllegalArgumentException("A call timeout must be positive, not " + callTimeout);
		}
		return new DelegatingOperations() {

			@Override
			<T> @Nullable T invoke(Function<WebServiceOperations, @Nullable T> action) {
				return DefaultServiceProxy.this.invoke(callTimeout, action);
			}

		};
	}

	@Override
	public <T> PendingCall<T> submit(Function<WebServiceOperations, @Nullable T> action, Executor executor) {
		Call call = admit(this.settings.callTimeout());
		CallFuture<T> result = new CallFuture<>(this, call, action);
		call.submitted(result);
		try {
			result.queuedTimeout(this.timer.schedule(call::timeOutNow, Duration.ofNanos(call.remainingNanos())));
			executor.execute(result);
		}
		catch (RuntimeException ex) {
			result.refused(ex);
			throw ex;
		}
		return new PendingCall<>(call.id(), result);
	}

	@Override
	<T> @Nullable T invoke(Function<WebServiceOperations, @Nullable T> action) {
		return invoke(this.settings.callTimeout(), action);
	}

	private <T> @Nullable T invoke(Duration timeout, Function<WebServiceOperations, @Nullable T> action) {
		return run(admit(timeout), action);
	}

	<T> @Nullable T run(Call call, Function<WebServiceOperations, @Nullable T> action) {
		CarriedCall previous = CurrentCall.set(call);
		try {
			T result = action.apply(this.template);
			ended(call, call.finish(null), null);
			return result;
		}
		catch (RuntimeException | Error ex) {
			CallOutcome outcome = call.finish(ex);
			ServiceCallException cancellation = call.cancellation();
			if (cancellation != null && cancellation.getClass() != ex.getClass()) {
				cancellation.addSuppressed(ex);
				ended(call, outcome, cancellation);
				throw cancellation;
			}
			RuntimeException typed = (ex instanceof SoapFaultClientException fault)
					? RemoteOperationCancelledException.from(fault) : null;
			Throwable thrown = (typed != null) ? typed : ex;
			ended(call, outcome, thrown);
			if (typed != null) {
				throw typed;
			}
			throw ex;
		}
		finally {
			CurrentCall.set(previous);
			call.callerLeft();
			if (call.interruptDeferred()) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private Call admit(Duration timeout) {
		String id = CALL_IDS.next();
		Lifecycle.State current = this.lifecycle.state();
		if (current != Lifecycle.State.OPEN) {
			throw rejected(notOpen(id, current));
		}
		if (this.pending.incrementAndGet() > this.settings.maxPendingCalls()) {
			this.pending.decrementAndGet();
			throw rejected(new CallRejectedException("Proxy '" + name() + "' has " + this.settings.maxPendingCalls()
					+ " calls in flight (max-pending-calls, abandoned calls included); call " + id + " was rejected",
					id, name()));
		}
		Call call;
		try {
			call = new Call(this, id, timeout);
			this.calls.put(id, call);
		}
		catch (RuntimeException | Error ex) {
			this.pending.decrementAndGet();
			throw ex;
		}
		current = this.lifecycle.state();
		if (current != Lifecycle.State.OPEN) {
			remove(call);
			throw rejected(notOpen(id, current));
		}
		CallListener startListener = this.listener;
		if (startListener != CallListener.NONE) {
			listen(startListener, call);
		}
		return call;
	}

	/**
	 * Tell the listener that the call starts. A listener that throws is logged and hears
	 * nothing more of this call; the call goes on.
	 */
	private void listen(CallListener startListener, Call call) {
		@Nullable Object state;
		try {
			state = startListener.callStarted(new CallListener.StartedCall(name(), call.id()));
		}
		catch (RuntimeException ex) {
			listenerFailed("callStarted", ex);
			return;
		}
		String traceId = null;
		try {
			traceId = startListener.traceId(state);
		}
		catch (RuntimeException ex) {
			listenerFailed("traceId", ex);
		}
		call.listened(new Call.Listened(startListener, state, traceId));
	}

	private void listenerFailed(String hook, RuntimeException ex) {
		logger.warn("Call listener of proxy '" + name() + "' failed in " + hook + "; it is skipped", ex);
	}

	private CallRejectedException notOpen(String id, Lifecycle.State current) {
		return new CallRejectedException(
				"Proxy '" + name() + "' is " + current + ", not OPEN; call " + id + " was rejected", id, name());
	}

	private CallRejectedException rejected(CallRejectedException ex) {
		try {
			this.listener.callRejected(name(), ex.getCallId());
		}
		catch (RuntimeException failure) {
			listenerFailed("callRejected", failure);
		}
		return ex;
	}

	private void ended(Call call, CallOutcome outcome, @Nullable Throwable failure) {
		Call.Listened started = call.listened();
		if (started != null) {
			try {
				started.listener()
					.callEnded(new CallListener.EndedCall(name(), call.id(), call.operationName(), outcome,
							this.ticker.nanoTime() - call.startNanos(), failure), started.state());
			}
			catch (RuntimeException ex) {
				listenerFailed("callEnded", ex);
			}
		}
	}

	/**
	 * End a submitted call whose task never ran: its caller part ends here.
	 * @param call the call
	 * @param outcome its outcome
	 * @param thrown what a caller would have got
	 */
	void endUnstarted(Call call, CallOutcome outcome, Throwable thrown) {
		ended(call, outcome, thrown);
		call.callerLeft();
	}

	/**
	 * Release every caller first, then close the sockets.
	 */
	private Released abortAll(List<Call> victims, @Nullable String reason) {
		int changed = 0;
		boolean ioCancelled = false;
		boolean[] released = new boolean[victims.size()];
		for (int i = 0; i < released.length; i++) {
			released[i] = victims.get(i).abortCaller(reason);
		}
		for (int i = 0; i < released.length; i++) {
			boolean cancelled = victims.get(i).cancelIo();
			ioCancelled |= cancelled;
			if (cancelled || released[i]) {
				changed++;
			}
		}
		return new Released(changed, ioCancelled);
	}

	private void awaitDrained(Lifecycle.Transition closing, Duration timeout) {
		long deadline = this.ticker.nanoTime() + timeout.toNanos();
		synchronized (this.drained) {
			while (this.pending.get() > 0 && this.lifecycle.isCurrent(closing)) {
				long remaining = deadline - this.ticker.nanoTime();
				if (remaining <= 0) {
					return;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drained, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void signalDrained() {
		synchronized (this.drained) {
			this.drained.notifyAll();
		}
	}

	void remove(Call call) {
		if (!this.calls.remove(call.id(), call)) {
			return;
		}
		if (call.removedWhileAbandoned()) {
			this.abandoned.decrementAndGet();
		}
		if (this.pending.decrementAndGet() == 0 && this.lifecycle.state() != Lifecycle.State.OPEN) {
			signalDrained();
		}
	}

	void abandonedCallsChanged(int delta) {
		this.abandoned.addAndGet(delta);
	}

	void aborted(String target, String reason, String initiator, boolean cancelledIo) {
		try {
			this.listener.aborted(new CallListener.AbortEvent(name(), target, reason, initiator, cancelledIo));
		}
		catch (RuntimeException ex) {
			listenerFailed("aborted", ex);
		}
	}

	void abandonedIoAborted(Call call) {
		aborted("channel", "abandoned-io-timeout", "proxy", true);
		logger.warn("Proxy '" + name() + "' aborted the I/O of abandoned call " + call.id() + " after "
				+ this.settings.abandonedIoTimeout().toMillis() + " ms (abandoned-io-timeout)");
	}

	Ticker ticker() {
		return this.ticker;
	}

	CancellationTimer timer() {
		return this.timer;
	}

	static boolean isSoapFault(Throwable thrown) {
		return thrown instanceof SoapFaultClientException;
	}

	private static ProxyState[] states() {
		Lifecycle.State[] lifecycleStates = Lifecycle.State.values();
		ProxyState[] states = new ProxyState[lifecycleStates.length];
		for (Lifecycle.State state : lifecycleStates) {
			states[state.ordinal()] = ProxyState.valueOf(state.name());
		}
		return states;
	}

	/**
	 * What releasing a set of calls did.
	 */
	private record Released(int affected, boolean ioCancelled) {

	}

	/**
	 * Starts the transport when the proxy opens and stops it once the proxy is no longer
	 * open.
	 */
	private record TransportResource(ProxyTransport transport) implements Lifecycle.Resource {

		@Override
		public void start() {
			this.transport.start();
		}

		@Override
		public void stop() {
			this.transport.stop();
		}

	}

}
