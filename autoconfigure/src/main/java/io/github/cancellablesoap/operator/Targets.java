package io.github.cancellablesoap.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.core.VerbResult;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ProxyOperator} and the {@link HostOperator} do alike: find a target by
 * name or by something it holds, list the first few of its calls or operations, and run a
 * state transition that answers 409 when the target is in the wrong state.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
final class Targets {

	private Targets() {
	}

	/**
	 * The target of that name; never one for a string that breaks the name rule.
	 * @param <T> the target type
	 * @param targets the targets
	 * @param nameOf how to name a target
	 * @param name the name asked for
	 * @return the target, or empty
	 */
	static <T> Optional<T> named(List<T> targets, Function<T, String> nameOf, String name) {
		if (!Names.isName(name)) {
			return Optional.empty();
		}
		return targets.stream().filter((target) -> nameOf.apply(target).equals(name)).findFirst();
	}

	/**
	 * The first thing one of the targets holds.
	 * @param <T> the target type
	 * @param <R> what they hold
	 * @param targets the targets
	 * @param lookup what one target holds, if anything
	 * @return the first found, or empty
	 */
	static <T, R> Optional<R> firstHeld(List<T> targets, Function<T, Optional<R>> lookup) {
		for (T target : targets) {
			Optional<R> held = lookup.apply(target);
			if (held.isPresent()) {
				return held;
			}
		}
		return Optional.empty();
	}

	/**
	 * The first items of a snapshot, described.
	 * @param <T> the item type
	 * @param <D> the descriptor type
	 * @param items the snapshot
	 * @param limit the most items kept
	 * @param describe how to describe one
	 * @return an immutable list of at most {@code limit} descriptors
	 */
	static <T, D> List<D> firstOf(List<T> items, int limit, Function<T, D> describe) {
		List<D> listed = new ArrayList<>(Math.min(limit, items.size()));
		for (int i = 0; i < items.size() && i < limit; i++) {
			listed.add(describe.apply(items.get(i)));
		}
		return List.copyOf(listed);
	}

	/**
	 * Run a state transition that throws {@link IllegalStateException} when the target is
	 * in the wrong state.
	 * @param kind {@code proxy} or {@code host}
	 * @param name the target's name
	 * @param verb the verb
	 * @param transition the verb itself
	 * @param state the target's state, read again when the verb was refused
	 * @param needs the states the verb needs, in words
	 * @param start when the request began, from {@link System#nanoTime()}
	 * @param reason the cleaned reason, or {@code null}
	 * @return the action result, or a 409 naming the state
	 */
	static OperatorAnswer transition(String kind, String name, String verb, Supplier<VerbResult> transition,
			Supplier<Enum<?>> state, String needs, long start, @Nullable String reason) {
		try {
			return OperatorAnswer.done(kind, name, verb, transition.get(), start, reason);
		}
		catch (IllegalStateException ex) {
			return OperatorAnswer.conflict(verb, kind, name, state.get(), needs);
		}
	}

}
