package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Lifecycle;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.core.VerbResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.WebServiceMessageCallback;
import org.springframework.ws.client.core.WebServiceMessageExtractor;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * The standard {@link ServiceProxy}: a {@link WebServiceTemplate} whose calls run on the
 * caller's thread through an abortable {@link ProxyTransport}. This class holds the
 * lifecycle and the {@link WebServiceOperations} facade; a {@link CallRunner} admits and
 * runs calls, a {@link CallRegistry} tracks those in flight, a {@link Call} decides how
 * each one ends, and a {@link CallNotifier} isolates the listener.
 * <p>
 * A call costs no hand-off: the caller marshals, the transport sends asynchronously, and
 * the caller waits on a future that the response, a failure, an abandon, an abort or the
 * timeout completes, whichever is first.
 * <p>
 * The lifecycle follows the shared {@link Lifecycle} table; the transport runs exactly
 * while the proxy is open (an abort stops it after cancelling every call's I/O). An abort
 * or close snapshots the calls to end under the lifecycle lock, when it makes its
 * transition, so that it never reaches calls of a later opening. Listeners are isolated:
 * one that throws is logged and skipped, and the call goes on.
 * <p>
 * A little over 300 lines because the {@link ServiceProxy} contract is wide (lifecycle
 * verbs, call verbs, listings, views); each method is a few lines over the parts above.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class DefaultServiceProxy extends DelegatingOperations implements ServiceProxy {

	private static final Log logger = LogFactory.getLog(DefaultServiceProxy.class);

	private static final ProxyState[] STATES = states();

	private final WebServiceTemplate template;

	private final CallEnvironment environment;

	private final CallRegistry calls;

	private final Object lock = new Object();

	private final Lifecycle lifecycle;

	private final CallRunner runner;

	private final AsyncCallRunner asyncRunner;

	/**
	 * Create a proxy in state CREATED.
	 * @param settings the proxy's settings
	 * @param template the template that marshals and unmarshals, with its client
	 * interceptors; its message senders are replaced by the transport's sender, and its
	 * interceptors wrapped so that a response one of them turns into a fault fails the
	 * call ({@code InterceptedFaults})
	 * @param transport the abortable transport
	 * @param timer the timer that enforces abandoned-I/O limits
	 * @param ticker the clock for deadlines and elapsed times
	 */
	public DefaultServiceProxy(ProxySettings settings, WebServiceTemplate template, ProxyTransport transport,
			CancellationTimer timer, Ticker ticker) {
		this.template = template;
		this.environment = CallEnvironment.of(settings, ticker, timer);
		this.calls = this.environment.registry();
		this.lifecycle = new Lifecycle("proxy '" + settings.name() + "'", this.lock, new TransportResource(transport),
				Lifecycle.Observer.NONE);
		this.runner = new CallRunner(this.environment, template, this.lifecycle);
		this.asyncRunner = new AsyncCallRunner(this.runner, this.environment, template, transport);
		template.setMessageSender(transport.messageSender());
		InterceptedFaults.wrapAll(template);
		if (template.getDefaultUri() == null) {
			template.setDefaultUri(settings.address().toString());
		}
	}

	@Override
	public String name() {
		return settings().name();
	}

	@Override
	public URI address() {
		return settings().address();
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
		notifier().setListener(listener);
	}

	/**
	 * The settings the proxy was built with.
	 * @return the settings
	 */
	public ProxySettings settings() {
		return this.environment.settings();
	}

	CallNotifier notifier() {
		return this.environment.notifier();
	}

	@Override
	public VerbResult openAndReport() {
		Lifecycle.Transition opened = this.lifecycle.open();
		if (opened.from() == opened.to()) {
			return VerbResult.unchanged(opened.to().name());
		}
		return new VerbResult(opened.from().name(), opened.to().name(), true, false, 0);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The calls to end are taken under the lifecycle lock with the transition, so that an
	 * abort never reaches the calls of a later opening, and a call admitted concurrently
	 * is either in the snapshot or sees the new state when it re-checks.
	 */
	@Override
	public VerbResult abortAndReport(@Nullable String reason) {
		Lifecycle.Transition aborted;
		List<Call> victims;
		synchronized (this.lock) {
			aborted = this.lifecycle.abort();
			if (aborted == null) {
				return VerbResult.unchanged(this.lifecycle.state().name());
			}
			victims = (aborted.from() != Lifecycle.State.OPENING) ? this.calls.snapshot() : List.of();
		}
		CallRegistry.Released released = CallRegistry.abortAll(victims, reason);
		if (aborted.from() != Lifecycle.State.OPENING) {
			notifier().aborted("proxy", "requested", AbortInitiator.current(), released.ioCancelled());
		}
		if (aborted.from() == Lifecycle.State.CLOSING) {
			this.calls.wakeIdleWaiters();
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
		int inFlight = this.calls.pending();
		Duration closeTimeout = settings().closeTimeout();
		this.calls.awaitIdle(closeTimeout.toNanos(), () -> this.lifecycle.isCurrent(closing));
		List<Call> left;
		synchronized (this.lock) {
			left = this.lifecycle.completeClose(closing) ? this.calls.snapshot() : List.of();
		}
		CallRegistry.Released released = CallRegistry.abortAll(left,
				"proxy closed; close-timeout of " + closeTimeout.toMillis() + " ms passed");
		if (released.affected() > 0) {
			notifier().aborted("call", "close-timeout", "proxy", released.ioCancelled());
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
		return Optional.ofNullable(this.calls.find(callId)).map(Call::abandon);
	}

	@Override
	public int abandonAll() {
		return this.calls.abandonAll();
	}

	@Override
	public Optional<VerbResult> abortCallAndReport(String callId, @Nullable String reason) {
		return Optional.ofNullable(this.calls.find(callId)).map((call) -> call.abortRequested("call", reason).result());
	}

	@Override
	public Optional<VerbResult> abortChannelAndReport(String channelId, @Nullable String reason) {
		return Optional.ofNullable(this.calls.findByChannel(channelId))
			.map((call) -> call.abortRequested("channel", reason).result());
	}

	@Override
	public List<CallInfo> calls() {
		long now = this.environment.ticker().nanoTime();
		List<Call> snapshot = this.calls.snapshotByStart();
		List<CallInfo> infos = new ArrayList<>(snapshot.size());
		for (Call call : snapshot) {
			infos.add(call.info(now));
		}
		return List.copyOf(infos);
	}

	@Override
	public Optional<CallInfo> call(String callId) {
		return Optional.ofNullable(this.calls.find(callId))
			.map((call) -> call.info(this.environment.ticker().nanoTime()));
	}

	@Override
	public int pendingCalls() {
		return this.calls.pending();
	}

	@Override
	public int abandonedCalls() {
		return this.calls.abandoned();
	}

	@Override
	public ServiceProxyView withCallTimeout(Duration callTimeout) {
		if (callTimeout.isZero() || callTimeout.isNegative()) {
			throw new IllegalArgumentException("A call timeout must be positive, not " + callTimeout);
		}
		return view(callTimeout, true);
	}

	@Override
	public ServiceProxyView detached() {
		return view(null, false);
	}

	/**
	 * A view of this proxy.
	 * @param callTimeout the timeout of its calls, or {@code null} for the proxy's
	 * @param inherit whether its calls follow the scope current on the caller's thread
	 */
	private ServiceProxyView view(@Nullable Duration callTimeout, boolean inherit) {
		return new DelegatingOperations() {

			@Override
			<T> @Nullable T invoke(Function<WebServiceOperations, @Nullable T> action) {
				Duration timeout = (callTimeout != null) ? callTimeout : settings().callTimeout();
				return DefaultServiceProxy.this.runner.invoke(timeout, inherit, action);
			}

			@Override
			<T> PendingCall<T> invokeAsync(@Nullable String uri, WebServiceMessageCallback requestCallback,
					WebServiceMessageExtractor<T> responseExtractor, Executor completionExecutor) {
				Duration timeout = (callTimeout != null) ? callTimeout : settings().callTimeout();
				return DefaultServiceProxy.this.asyncRunner.send(timeout, inherit, uri, requestCallback,
						responseExtractor, completionExecutor);
			}

			@Override
			AsyncCallRunner asyncRunner() {
				return DefaultServiceProxy.this.asyncRunner;
			}

			@Override
			@Nullable String defaultUri() {
				return DefaultServiceProxy.this.defaultUri();
			}

		};
	}

	@Override
	public <T> PendingCall<T> submit(Function<WebServiceOperations, @Nullable T> action, Executor executor) {
		return this.runner.submit(settings().callTimeout(), action, executor);
	}

	@Override
	<T> @Nullable T invoke(Function<WebServiceOperations, @Nullable T> action) {
		return this.runner.invoke(settings().callTimeout(), true, action);
	}

	@Override
	<T> PendingCall<T> invokeAsync(@Nullable String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor, Executor completionExecutor) {
		return this.asyncRunner.send(settings().callTimeout(), true, uri, requestCallback, responseExtractor,
				completionExecutor);
	}

	@Override
	AsyncCallRunner asyncRunner() {
		return this.asyncRunner;
	}

	@Override
	@Nullable String defaultUri() {
		return this.template.getDefaultUri();
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
