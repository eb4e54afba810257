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
 * What the operator does alike on proxies and on hosts: summarise them, find one by name,
 * describe one with the first few of its calls or operations, find a call or operation by
 * id, and run a state transition that answers 409 naming the state when the target is in
 * the wrong one. {@link ProxyOperator} and {@link HostOperator} add their verbs.
 * <p>
 * Thread-safe: every method may be called from any thread; the list of targets is read
 * afresh for every request.
 *
 * @param <T> the target type
 * @param <S> the summary of one target in the overview
 * @author Cancellable SOAP
 */
abstract class TargetOperator<T, S> {

	private final String kind;

	private final Supplier<List<T>> targets;

	private final Function<T, String> nameOf;

	/**
	 * Create the operator of one kind of target.
	 * @param kind {@code proxy} or {@code host}, for answers
	 * @param targets the current targets
	 * @param nameOf how to name one
	 */
	TargetOperator(String kind, Supplier<List<T>> targets, Function<T, String> nameOf) {
		this.kind = kind;
		this.targets = targets;
		this.nameOf = nameOf;
	}

	/**
	 * Every target, summarised, in declaration order.
	 * @return an immutable list
	 */
	final List<S> summaries() {
		return this.targets.get().stream().map(this::summarize).toList();
	}

	/**
	 * The target of that name; never one for a string that breaks the name rule.
	 * @param name the name asked for
	 * @return the target, or empty
	 */
	final Optional<T> find(String name) {
		if (!Names.isName(name)) {
			return Optional.empty();
		}
		return this.targets.get().stream().filter((target) -> this.nameOf.apply(target).equals(name)).findFirst();
	}

	/**
	 * One target with the first of its calls or operations.
	 * @param name the name asked for
	 * @param limit the most calls or operations listed
	 * @return the descriptor, or 404
	 */
	final OperatorAnswer read(String name, int limit) {
		return find(name).map((target) -> OperatorAnswer.ok(describe(target, limit)))
			.orElseGet(() -> OperatorAnswer.notFound(this.kind, name));
	}

	/**
	 * The first call or operation of that id that one of the targets holds.
	 * @param heldKind {@code call} or {@code operation}, for answers
	 * @param id the checked id
	 * @param lookup the descriptor of what one target holds under that id, if anything
	 * @return the descriptor, or 404
	 */
	final OperatorAnswer readHeld(String heldKind, String id, Function<T, Optional<?>> lookup) {
		for (T target : this.targets.get()) {
			Optional<?> held = lookup.apply(target);
			if (held.isPresent()) {
				return OperatorAnswer.ok(held.get());
			}
		}
		return OperatorAnswer.notFound(heldKind, id);
	}

	/**
	 * The current targets.
	 * @return a snapshot
	 */
	final List<T> targets() {
		return this.targets.get();
	}

	/**
	 * Answer a verb that ran on a target.
	 * @param target the target
	 * @param verb the verb
	 * @param result what it did
	 * @param start when the request began, from {@link System#nanoTime()}
	 * @param reason the cleaned reason, or {@code null}
	 * @return the action result
	 */
	final OperatorAnswer done(T target, String verb, VerbResult result, long start, @Nullable String reason) {
		return OperatorAnswer.done(this.kind, this.nameOf.apply(target), verb, result, start, reason);
	}

	/**
	 * Run a state transition that throws {@link IllegalStateException} when the target is
	 * in the wrong state.
	 * @param target the target
	 * @param verb the verb
	 * @param transition the verb itself
	 * @param state the target's state, read again when the verb was refused
	 * @param needs the states the verb needs, in words
	 * @param start when the request began, from {@link System#nanoTime()}
	 * @param reason the cleaned reason, or {@code null}
	 * @return the action result, or a 409 naming the state
	 */
	final OperatorAnswer transition(T target, String verb, Supplier<VerbResult> transition, Supplier<Enum<?>> state,
			String needs, long start, @Nullable String reason) {
		try {
			return done(target, verb, transition.get(), start, reason);
		}
		catch (IllegalStateException ex) {
			return OperatorAnswer.conflict(verb, this.kind, this.nameOf.apply(target), state.get(), needs);
		}
	}

	/**
	 * The first items of a snapshot, described.
	 * @param <I> the item type
	 * @param <D> the descriptor type
	 * @param items the snapshot
	 * @param limit the most items kept
	 * @param describe how to describe one
	 * @return an immutable list of at most {@code limit} descriptors
	 */
	static <I, D> List<D> firstOf(List<I> items, int limit, Function<I, D> describe) {
		List<D> listed = new ArrayList<>(Math.min(limit, items.size()));
		for (int i = 0; i < items.size() && i < limit; i++) {
			listed.add(describe.apply(items.get(i)));
		}
		return List.copyOf(listed);
	}

	/**
	 * One target's summary for the overview.
	 * @param target the target
	 * @return its summary
	 */
	abstract S summarize(T target);

	/**
	 * One target with at most {@code limit} of its calls or operations.
	 * @param target the target
	 * @param limit the most calls or operations listed
	 * @return its descriptor
	 */
	abstract Object describe(T target, int limit);

}
