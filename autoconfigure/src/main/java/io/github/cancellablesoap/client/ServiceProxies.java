package io.github.cancellablesoap.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up the application's service proxies by name.
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceProxies {

	private final Map<String, ServiceProxy> byName;

	private final List<ServiceProxy> all;

	/**
	 * Index the given proxies.
	 * @param proxies the proxies; their names must be distinct
	 */
	public ServiceProxies(Collection<? extends ServiceProxy> proxies) {
		Map<String, ServiceProxy> map = new LinkedHashMap<>();
		for (ServiceProxy proxy : proxies) {
			if (map.putIfAbsent(proxy.name(), proxy) != null) {
				throw new IllegalArgumentException("Two service proxies are named '" + proxy.name() + "'");
			}
		}
		this.byName = Map.copyOf(map);
		this.all = List.copyOf(map.values());
	}

	/**
	 * Find a proxy.
	 * @param name the proxy name
	 * @return the proxy, or empty when none has that name
	 */
	public Optional<ServiceProxy> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	/**
	 * Every proxy, in declaration order.
	 * @return an immutable list
	 */
	public List<ServiceProxy> all() {
		return this.all;
	}

}
