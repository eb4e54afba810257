package io.github.cancellablesoap.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up the application's proxies or hosts by name; the base of the
 * {@code ServiceProxies} and {@code ServiceHosts} beans.
 * <p>
 * Immutable and thread-safe.
 *
 * @param <T> the target type
 * @author Cancellable SOAP
 */
public abstract class NamedTargets<T extends LifecycleVerbs<?>> {

	private final Map<String, T> byName;

	private final List<T> all;

	/**
	 * Index the given targets.
	 * @param kind what the targets are, for the message, such as {@code service proxies}
	 * @param targets the targets; their names must be distinct
	 * @throws IllegalArgumentException when two targets have the same name
	 */
	protected NamedTargets(String kind, Collection<? extends T> targets) {
		Map<String, T> map = new LinkedHashMap<>();
		for (T target : targets) {
			if (map.putIfAbsent(target.name(), target) != null) {
				throw new IllegalArgumentException("Two " + kind + " are named '" + target.name() + "'");
			}
		}
		this.byName = Map.copyOf(map);
		this.all = List.copyOf(map.values());
	}

	/**
	 * Find a target by name.
	 * @param name the name
	 * @return the target, or empty when none has that name
	 */
	public Optional<T> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	/**
	 * Every target, in the order they were given.
	 * @return an immutable list
	 */
	public List<T> all() {
		return this.all;
	}

}
