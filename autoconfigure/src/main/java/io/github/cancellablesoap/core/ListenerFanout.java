package io.github.cancellablesoap.core;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one hook on several listeners in order, each isolated from the others: a listener
 * that throws is logged and skipped, and the listeners after it still run. The composite
 * call and operation listeners are built on it.
 * <p>
 * Listeners that keep state per call or operation get it back through
 * {@link #start}/{@link #eachStarted}: {@code start} collects each listener's state into
 * one array, and marks a listener whose start threw, so that it never hears an end
 * without a start.
 * <p>
 * Immutable; thread-safe when its listeners are.
 *
 * @param <L> the listener type
 * @author Cancellable SOAP
 */
public final class ListenerFanout<L> {

	private static final Log logger = LogFactory.getLog(ListenerFanout.class);

	/** The state of a listener whose start threw. */
	private static final Object NOT_STARTED = new Object();

	private final List<L> listeners;

	private final String kind;

	/**
	 * Create a fan-out.
	 * @param kind what the listeners are, for the log, for example
	 * {@code "Call listener"}
	 * @param listeners the listeners, run in this order
	 */
	public ListenerFanout(String kind, List<? extends L> listeners) {
		this.kind = kind;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Run a hook on every listener.
	 * @param hook the hook's name, for the log
	 * @param action what to do with each listener
	 */
	public void each(String hook, Consumer<? super L> action) {
		for (L listener : this.listeners) {
			try {
				action.accept(listener);
			}
			catch (RuntimeException ex) {
				failed(listener, hook, ex);
			}
		}
	}

	/**
	 * Run a start hook on every listener and keep what each returns.
	 * @param hook the hook's name, for the log
	 * @param start the start hook, which gives the listener's state
	 * @return the state of every listener, to hand back to {@link #eachStarted}
	 */
	public Object start(String hook, Function<? super L, @Nullable Object> start) {
		@Nullable Object[] states = new Object[this.listeners.size()];
		for (int i = 0; i < states.length; i++) {
			L listener = this.listeners.get(i);
			try {
				states[i] = start.apply(listener);
			}
			catch (RuntimeException ex) {
				failed(listener, hook, ex);
				states[i] = NOT_STARTED;
			}
		}
		return states;
	}

	/**
	 * Run a hook, with its own state, on every listener whose start did not throw, in
	 * order, until one says that no later listener needs to run.
	 * @param state what {@link #start} returned; anything else (a state from before the
	 * listeners changed, for example) gives every listener a {@code null} state
	 * @param hook the hook's name, for the log
	 * @param action the hook; returns {@code true} to stop
	 */
	public void eachStarted(@Nullable Object state, String hook, BiPredicate<? super L, @Nullable Object> action) {
		@Nullable Object[] states = (state instanceof Object[] array && array.length == this.listeners.size()) ? array : null;
		for (int i = 0; i < this.listeners.size(); i++) {
			Object own = (states != null) ? states[i] : null;
			if (own == NOT_STARTED) {
				continue;
			}
			L listener = this.listeners.get(i);
			try {
				if (action.test(listener, own)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				failed(listener, hook, ex);
			}
		}
	}

	private void failed(L listener, String hook, RuntimeException ex) {
		logger.warn(this.kind + " " + listener.getClass().getName() + " failed in " + hook + "; it is skipped", ex);
	}

}
