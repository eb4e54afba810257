package io.github.cancellablesoap.server;

import java.util.Collection;

import io.github.cancellablesoap.core.NamedTargets;

/**
 * Looks up the application's service hosts by name ({@link #find(String)},
 * {@link #all()}).
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceHosts extends NamedTargets<ServiceHost> {

	/**
	 * Create a lookup over the given hosts.
	 * @param hosts the hosts; their names must be unique
	 */
	public ServiceHosts(Collection<? extends ServiceHost> hosts) {
		super("service hosts", hosts);
	}

}
