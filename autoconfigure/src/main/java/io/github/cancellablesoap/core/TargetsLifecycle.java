package io.github.cancellablesoap.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a set of proxies or hosts when the application starts and closes them, all at
 * once through {@link ParallelClose}, when it stops: the stop takes as long as the
 * slowest bounded close. Its method shapes are those of Spring's {@code SmartLifecycle},
 * so that a subclass that declares the interface is one.
 * <p>
 * At start, CREATED targets are opened, and targets this lifecycle closed at a previous
 * stop are reset and opened again (a stopped and restarted context, as in Spring's test
 * context pausing); other targets are left as they are (an aborted one stays FAULTED). At
 * stop, OPEN and FAULTED targets are closed.
 * <p>
 * Thread-safe.
 *
 * @param <T> the target type
 * @author Cancellable SOAP
 */
public abstract class TargetsLifecycle<T extends LifecycleVerbs<?>> {

	private final String kind;

	private final List<T> targets;

	private final int phase;

	private final Set<T> closedByStop = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/**
	 * Create the lifecycle of some targets.
	 * @param kind what the targets are, for thread names and logs, such as {@code proxy}
	 * @param targets the targets
	 * @param phase the phase in which the container starts and stops them
	 */
	protected TargetsLifecycle(String kind, List<T> targets, int phase) {
		this.kind = kind;
		this.targets = List.copyOf(targets);
		this.phase = phase;
	}

	/**
	 * Open every CREATED target, and reopen those that a stop closed.
	 */
	public void start() {
		for (T target : this.targets) {
			if (this.closedByStop.remove(target) && is(target, Lifecycle.State.CLOSED)) {
				target.reset();
			}
			if (is(target, Lifecycle.State.CREATED)) {
				target.open();
			}
		}
		this.running = true;
	}

	/**
	 * Close every OPEN or FAULTED target, in parallel, and return once all are closed.
	 */
	public void stop() {
		ParallelClose.run(threadPrefix(), closes());
		this.running = false;
	}

	/**
	 * Close every OPEN or FAULTED target, in parallel, and return at once.
	 * @param callback run once all are closed, on the thread of the close that finished
	 * last (or at once, on the calling thread, when there is nothing to close)
	 */
	public void stop(Runnable callback) {
		ParallelClose.start(threadPrefix(), closes()).whenComplete((result, failure) -> {
			this.running = false;
			callback.run();
		});
	}

	/**
	 * Whether {@link #start()} ran and no stop ended since.
	 * @return {@code true} when running
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The phase in which the container starts and stops the targets.
	 * @return the phase
	 */
	public int getPhase() {
		return this.phase;
	}

	private Map<String, Runnable> closes() {
		Map<String, Runnable> closes = new LinkedHashMap<>();
		for (T target : this.targets) {
			if (is(target, Lifecycle.State.OPEN) || is(target, Lifecycle.State.FAULTED)) {
				this.closedByStop.add(target);
				closes.put(this.kind + " '" + target.name() + "'", target::close);
			}
		}
		return closes;
	}

	private String threadPrefix() {
		return "soap-" + this.kind + "-close";
	}

	private static boolean is(LifecycleVerbs<?> target, Lifecycle.State state) {
		return target.state().name().equals(state.name());
	}

}
