package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Lifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * Admits a proxy's calls and runs them on their callers' threads (or, for a submitted
 * call, on the submitter's executor): admission against the lifecycle and the
 * {@link CallRegistry}, the template call, the caller's outcome and the listener's end
 * event.
 * <p>
 * Admission checks the state, takes a slot, then checks the state again, so that a call
 * racing an abort or a close of the proxy is either in the snapshot they take under the
 * lifecycle lock or rejected here.
 * <p>
 * A call admitted while a {@link CancellationScope} is current on the admitting thread (a
 * server operation's, unless the call is detached) follows it ({@link CallUpstream}): its
 * deadline is the earlier of its own and the scope's, and the scope's cancellation aborts
 * it. The call listens to the scope only once it is admitted and registered, so a
 * cancellation either finds it or came first and aborts it during admission; either way
 * the call fails as ABORTED before any I/O (the transport's attach re-checks the
 * decision), its end heard by listeners like any other.
 * <p>
 * Thread-safe: any number of callers may run calls at once.
 */
final class CallRunner {

	private static final Ids CALL_IDS = new Ids("c");

	private final CallEnvironment environment;

	private final WebServiceTemplate template;

	private final Lifecycle lifecycle;

	CallRunner(CallEnvironment environment, WebServiceTemplate template, Lifecycle lifecycle) {
		this.environment = environment;
		this.template = template;
		this.lifecycle = lifecycle;
	}

	/**
	 * Admit a call and make it on the current thread.
	 * @param <T> the result type
	 * @param timeout the call timeout
	 * @param inherit whether the call follows the scope current on this thread
	 * @param action the call, made on the template
	 * @return the result
	 */
	<T> @Nullable T invoke(Duration timeout, boolean inherit, Function<WebServiceOperations, @Nullable T> action) {
		return run(admit(timeout, inherit), action);
	}

	/**
	 * Admit a call and hand it to an executor; the call timeout runs from now, also while
	 * the task waits in the executor's queue.
	 * @param <T> the result type
	 * @param timeout the call timeout
	 * @param action the call, made on the template
	 * @param executor runs the call
	 * @return the pending call
	 */
	<T> PendingCall<T> submit(Duration timeout, Function<WebServiceOperations, @Nullable T> action, Executor executor) {
		Call call = admit(timeout, true);
		CallFuture<T> result;
		try {
			result = new CallFuture<>(this, call, action);
			call.submitted(result);
		}
		catch (Throwable ex) {
			call.callerLeft();
			throw ex;
		}
		try {
			result.queuedTimeout(
					this.environment.timer().schedule(call::timeOut, Duration.ofNanos(call.remainingNanos())));
			executor.execute(result);
		}
		catch (RuntimeException ex) {
			result.refused(ex);
			throw ex;
		}
		return new PendingCall<>(call.callId(), result);
	}

	/**
	 * Make an admitted call on the current thread, which is its caller from here on; the
	 * call leaves the registry (once its I/O ended too) whatever happens.
	 */
	<T> @Nullable T run(Call call, Function<WebServiceOperations, @Nullable T> action) {
		CallNotifier notifier = this.environment.notifier();
		CarriedCall previous = CurrentCall.set(call);
		try {
			ServiceCallException early = call.cancellation();
			if (early != null) {
				// cancelled during admission (its upstream was): no marshalling, no I/O
				throw early;
			}
			T result = action.apply(this.template);
			notifier.ended(call, call.finish(null), null);
			return result;
		}
		catch (RuntimeException | Error ex) {
			Throwable thrown = failed(notifier, call, ex);
			if (thrown != ex) {
				// a cancellation, or a fault that says the remote operation was cancelled
				throw (RuntimeException) thrown;
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

	/**
	 * Decide the outcome of a call whose caller part failed, tell the listener, and say
	 * what its caller gets: the cancellation that decided the call (with the failure
	 * suppressed), a {@link RemoteOperationCancelledException} for a fault that says the
	 * remote operation was cancelled, or the failure itself.
	 * @param notifier the proxy's notifier
	 * @param call the call
	 * @param ex what the template threw
	 * @return what the caller gets: {@code ex} itself or a {@link RuntimeException}
	 */
	static Throwable failed(CallNotifier notifier, Call call, Throwable ex) {
		CallOutcome outcome = call.finish(ex);
		ServiceCallException cancellation = call.cancellation();
		if (cancellation != null && cancellation.getClass() != ex.getClass()) {
			cancellation.addSuppressed(ex);
			notifier.ended(call, outcome, cancellation);
			return cancellation;
		}
		Throwable thrown = (ex instanceof SoapFaultClientException fault)
				? RemoteOperationCancelledException.from(fault) : null;
		if (thrown == null) {
			thrown = ex;
		}
		notifier.ended(call, outcome, thrown);
		return thrown;
	}

	/**
	 * Admit a call: the proxy must be OPEN and have a free slot; the listener hears the
	 * start and the call follows the current scope unless {@code inherit} is false.
	 * @param timeout the call timeout
	 * @param inherit whether the call follows the scope current on this thread
	 * @return the admitted call, whose caller part the caller must end
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	Call admit(Duration timeout, boolean inherit) {
		CallNotifier notifier = this.environment.notifier();
		String id = CALL_IDS.next();
		Lifecycle.State current = this.lifecycle.state();
		if (current != Lifecycle.State.OPEN) {
			throw notifier.rejected(notOpen(id, current));
		}
		Call call;
		try {
			CallUpstream upstream = inherit ? CallUpstream.of(CancellationScope.current().orElse(null), timeout)
					: CallUpstream.none(timeout);
			call = this.environment.registry().admit(id, (callId) -> new Call(this.environment, callId, upstream));
		}
		catch (CallRejectedException ex) {
			throw notifier.rejected(ex);
		}
		current = this.lifecycle.state();
		if (current != Lifecycle.State.OPEN) {
			this.environment.registry().remove(call);
			throw notifier.rejected(notOpen(id, current));
		}
		try {
			call.listened(notifier.started(id));
			call.follow();
		}
		catch (Throwable ex) {
			// an Error from a listener or the scope: the caller never gets the call, so
			// it
			// gives its slot (and its scope registration) back here
			call.callerLeft();
			throw ex;
		}
		return call;
	}

	private CallRejectedException notOpen(String id, Lifecycle.State current) {
		String proxyName = this.environment.proxyName();
		return new CallRejectedException(
				"Proxy '" + proxyName + "' is " + current + ", not OPEN; call " + id + " was rejected", id, proxyName);
	}

}
