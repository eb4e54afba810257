package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.CancellationScope.Cancellation;
import org.jspecify.annotations.Nullable;

/**
 * What a call inherits from the {@link CancellationScope} current on its caller's thread
 * at admission (typically a server operation's): the earlier deadline, and a listener
 * that ends the call when the scope is cancelled, taken back when the call leaves the
 * registry, so that a long-lived scope holds nothing of calls that ended.
 * <p>
 * A scope that has ended (its operation was answered) is not inherited: it can no longer
 * be cancelled, and its deadline no longer bounds anything.
 * <p>
 * Thread-safe: {@link #follow} runs once, at admission, before the call is handed to
 * anyone who could {@link #release} it; the listener runs on the cancelling thread and
 * only decides the call and cancels its I/O, which never blocks.
 */
final class CallUpstream {

	private static final Executor DIRECT = Runnable::run;

	private final @Nullable CancellationScope<?> scope;

	private final Duration timeout;

	private final boolean inherited;

	private volatile @Nullable Runnable unlisten;

	private CallUpstream(@Nullable CancellationScope<?> scope, Duration timeout, boolean inherited) {
		this.scope = scope;
		this.timeout = timeout;
		this.inherited = inherited;
	}

	/**
	 * A call that follows no scope.
	 * @param timeout its own call timeout
	 * @return the upstream of a detached call
	 */
	static CallUpstream none(Duration timeout) {
		return new CallUpstream(null, timeout, false);
	}

	/**
	 * What a call admitted now inherits from a scope.
	 * @param scope the scope current on the caller's thread, or {@code null}
	 * @param timeout the call's own timeout
	 * @return the upstream; its {@link #timeout()} is the earlier of the two deadlines
	 */
	static CallUpstream of(@Nullable CancellationScope<?> scope, Duration timeout) {
		if (scope == null || !(scope.isOpen() || scope.isCancelled())) {
			return none(timeout);
		}
		// a deadline that had run out when it was set cancelled the scope without one
		Optional<Duration> left = scope.cancellation()
			.filter(Cancellation::expired)
			.map((why) -> Duration.ZERO)
			.or(scope::timeRemaining);
		if (left.isPresent() && left.get().compareTo(timeout) < 0) {
			return new CallUpstream(scope, left.get(), true);
		}
		return new CallUpstream(scope, timeout, false);
	}

	/**
	 * The call's effective timeout.
	 * @return its own timeout, or the scope's remaining time when that is shorter
	 */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * What the call inherited its deadline from.
	 * @return the scope's name when the scope's deadline is the call's, else {@code null}
	 */
	@Nullable String inheritedFrom() {
		CancellationScope<?> followed = this.scope;
		return (this.inherited && followed != null) ? followed.name() : null;
	}

	/**
	 * Listen to the scope for the call: a cancellation ends it, at once when the scope is
	 * already cancelled.
	 * @param call the admitted call
	 */
	void follow(Call call) {
		CancellationScope<?> followed = this.scope;
		if (followed != null) {
			this.unlisten = listen(followed, call);
		}
	}

	private static <R> Runnable listen(CancellationScope<R> scope, Call call) {
		String upstream = scope.name();
		CancellationScope<R>.Registration registration = scope
			.addListener((why) -> call.upstreamCancelled(reasonText(upstream, why), why.expired()), DIRECT);
		return registration::remove;
	}

	/**
	 * The reason a call aborted by its upstream's cancellation gives.
	 * @param upstream the scope's name, such as {@code operation o-12}
	 * @param why the scope's cancellation
	 * @return for example {@code upstream operation o-12 was cancelled (HOST_ABORTED:
	 * service host 'orders' aborted)}
	 */
	static String reasonText(String upstream, Cancellation<?> why) {
		return "upstream " + upstream + " was cancelled (" + why.reason()
				+ ((why.detail() != null) ? ": " + why.detail() : "") + ")";
	}

	/**
	 * Stop listening, once the call has left the registry.
	 */
	void release() {
		Runnable registered = this.unlisten;
		if (registered != null) {
			this.unlisten = null;
			registered.run();
		}
	}

}
