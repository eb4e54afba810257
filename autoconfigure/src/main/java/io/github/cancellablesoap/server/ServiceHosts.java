package io.github.cancellablesoap.server;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up the application's service hosts by name.
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceHosts {

	private final Map<String, ServiceHost> hosts;

	private final List<ServiceHost> all;

	/**
	 * Create a lookup over the given hosts.
	 * @param hosts the hosts; their names must be unique
	 */
	public ServiceHosts(Collection<? extends ServiceHost> hosts) {
		Map<String, ServiceHost> byName = new LinkedHashMap<>();
		for (ServiceHost host : hosts) {
			if (byName.putIfAbsent(host.name(), host) != null) {
				throw new IllegalArgumentException("Two service hosts are named '" + host.name() + "'");
			}
		}
		this.hosts = byName;
		this.all = List.copyOf(byName.values());
	}

	/**
	 * The host with the given name.
	 * @param name the host's name
	 * @return the host, or empty when there is none of that name
	 */
	public Optional<ServiceHost> find(String name) {
		return Optional.ofNullable(this.hosts.get(name));
	}

	/**
	 * All hosts, in the order they were given.
	 * @return an immutable list
	 */
	public List<ServiceHost> all() {
		return this.all;
	}

}
