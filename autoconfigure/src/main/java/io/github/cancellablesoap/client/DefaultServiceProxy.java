package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Ticker;
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
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class DefaultServiceProxy extends DelegatingOperations implements ServiceProxy {

	private static final Log logger = LogFactory.getLog(DefaultServiceProxy.class);

	private static final Ids CALL_IDS = new Ids("c");

	private final ProxySettings settings;

	private final WebServiceTemplate template;

	private final ProxyTransport transport;

	private final CancellationTimer timer;

	private final Ticker ticker;

	private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final Object lifecycle = new Object();

	private final Object drained = new Object();

	private final AtomicInteger abandoned = new AtomicInteger();

	private volatile ProxyState state = ProxyState.CREATED;

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
		this.transport = transport;
		this.timer = timer;
		this.ticker = ticker;
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
		return this.state;
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
	public void open() {
		synchronized (this.lifecycle) {
			requireState("open", ProxyState.CREATED);
			this.state = ProxyState.OPENING;
		}
		try {
			this.transport.start();
		}
		catch (RuntimeException ex) {
			synchronized (this.lifecycle) {
				this.state = ProxyState.CREATED;
			}
			throw ex;
		}
		synchronized (this.lifecycle) {
			if (this.state != ProxyState.OPENING) {
				this.transport.stop();
				throw new IllegalStateException("Proxy '" + name() + "' was aborted while opening");
			}
			this.state = ProxyState.OPEN;
		}
	}

	@Override
	public boolean abort(@Nullable String reason) {
		ProxyState previous;
		synchronized (this.lifecycle) {
			previous = this.state;
			switch (previous) {
				case OPENING -> this.state = ProxyState.CREATED;
				case OPEN -> this.state = ProxyState.FAULTED;
				case CLOSING -> this.state = ProxyState.CLOSED;
				default -> {
					return false;
				}
			}
		}
		if (previous != ProxyState.OPENING) {
			int cancelled = abortAll(reason);
			aborted("proxy", "requested", AbortInitiator.current(), cancelled > 0);
		}
		if (previous == ProxyState.CLOSING) {
			signalDrained();
		}
		logger.info("Proxy '" + name() + "' aborted (" + previous + " -> " + this.state + ")"
				+ ((reason != null) ? ": " + reason : ""));
		return true;
	}

	@Override
	public void close() {
		synchronized (this.lifecycle) {
			if (this.state != ProxyState.OPEN && this.state != ProxyState.FAULTED) {
				return;
			}
			this.state = ProxyState.CLOSING;
		}
		awaitDrained(this.settings.closeTimeout());
		int cancelled = abortAll(
				"proxy closed; close-timeout of " + this.settings.closeTimeout().toMillis() + " ms passed");
		if (cancelled > 0) {
			aborted("call", "close-timeout", "proxy", true);
		}
		synchronized (this.lifecycle) {
			if (this.state == ProxyState.CLOSING) {
				this.state = ProxyState.CLOSED;
			}
		}
		this.transport.stop();
	}

	@Override
	public void reset() {
		synchronized (this.lifecycle) {
			requireState("reset", ProxyState.CLOSED, ProxyState.FAULTED);
			this.state = ProxyState.CREATED;
		}
		this.transport.stop();
	}

	@Override
	public boolean abandon(String callId) {
		Call call = this.calls.get(callId);
		return call != null && call.abandon();
	}

	@Override
	public int abandonAll() {
		int count = 0;
		for (Call call : this.calls.values()) {
			if (call.abandon()) {
				count++;
			}
		}
		return count;
	}

	@Override
	public boolean abortCall(String callId, @Nullable String reason) {
		Call call = this.calls.get(callId);
		return call != null && abort(call, "call", reason);
	}

	@Override
	public boolean abortChannel(String channelId, @Nullable String reason) {
		for (Call call : this.calls.values()) {
			Channel channel = call.channel();
			if (channel != null && channel.id().equals(channelId)) {
				return abort(call, "channel", reason);
			}
		}
		return false;
	}

	private boolean abort(Call call, String target, @Nullable String reason) {
		boolean changed = call.abort(reason);
		if (changed) {
			aborted(target, "requested", AbortInitiator.current(), call.channel() != null);
		}
		return changed;
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
		CompletableFuture<@Nullable T> result = new CompletableFuture<>();
		try {
			executor.execute(() -> {
				try {
					result.complete(run(call, action));
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			ended(call, call.finish(ex), ex);
			call.callerLeft();
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

	private <T> @Nullable T run(Call call, Function<WebServiceOperations, @Nullable T> action) {
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
		}
	}

	private Call admit(Duration timeout) {
		String id = CALL_IDS.next();
		ProxyState current = this.state;
		if (current != ProxyState.OPEN) {
			throw rejected(notOpen(id, current));
		}
		if (this.pending.incrementAndGet() > this.settings.maxPendingCalls()) {
			this.pending.decrementAndGet();
			throw rejected(new CallRejectedException("Proxy '" + name() + "' has " + this.settings.maxPendingCalls()
					+ " calls in flight (max-pending-calls, abandoned calls included); call " + id + " was rejected",
					id, name()));
		}
		Call call = new Call(this, id, timeout);
		this.calls.put(id, call);
		current = this.state;
		if (current != ProxyState.OPEN) {
			remove(call);
			throw rejected(notOpen(id, current));
		}
		CallListener startListener = this.listener;
		if (startListener != CallListener.NONE) {
			@Nullable Object state = startListener.callStarted(new CallListener.StartedCall(name(), id));
			call.listened(new Call.Listened(startListener, state, startListener.traceId(state)));
		}
		return call;
	}

	private CallRejectedException notOpen(String id, ProxyState current) {
		return new CallRejectedException(
				"Proxy '" + name() + "' is " + current + ", not OPEN; call " + id + " was rejected", id, name());
	}

	private CallRejectedException rejected(CallRejectedException ex) {
		this.listener.callRejected(name(), ex.getCallId());
		return ex;
	}

	private void ended(Call call, CallOutcome outcome, @Nullable Throwable failure) {
		Call.Listened started = call.listened();
		if (started != null) {
			started.listener()
				.callEnded(new CallListener.EndedCall(name(), call.id(), call.operationName(), outcome,
						this.ticker.nanoTime() - call.startNanos(), failure), started.state());
		}
	}

	private int abortAll(@Nullable String reason) {
		List<Call> snapshot = new ArrayList<>(this.calls.values());
		int changed = 0;
		boolean[] released = new boolean[snapshot.size()];
		for (int i = 0; i < released.length; i++) {
			released[i] = snapshot.get(i).abortCaller(reason);
		}
		for (int i = 0; i < released.length; i++) {
			if (snapshot.get(i).cancelIo() || released[i]) {
				changed++;
			}
		}
		return changed;
	}

	private void awaitDrained(Duration timeout) {
		long deadline = this.ticker.nanoTime() + timeout.toNanos();
		synchronized (this.drained) {
			while (this.pending.get() > 0 && this.state == ProxyState.CLOSING) {
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

	private void requireState(String verb, ProxyState... allowed) {
		ProxyState current = this.state;
		for (ProxyState candidate : allowed) {
			if (candidate == current) {
				return;
			}
		}
		throw new IllegalStateException("Proxy '" + name() + "' cannot " + verb + ": it is " + current);
	}

	void remove(Call call) {
		if (!this.calls.remove(call.id(), call)) {
			return;
		}
		if (call.isAbandoned()) {
			this.abandoned.decrementAndGet();
		}
		if (this.pending.decrementAndGet() == 0 && this.state != ProxyState.OPEN) {
			signalDrained();
		}
	}

	void abandonedCallsChanged(int delta) {
		this.abandoned.addAndGet(delta);
	}

	void aborted(String target, String reason, String initiator, boolean cancelledIo) {
		this.listener.aborted(new CallListener.AbortEvent(name(), target, reason, initiator, cancelledIo));
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

}
