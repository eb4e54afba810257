package io.github.cancellablesoap.client;

import java.util.Collection;

import io.github.cancellablesoap.core.NamedTargets;

/**
 * Looks up the application's service proxies by name ({@link #find(String)},
 * {@link #all()}).
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceProxies extends NamedTargets<ServiceProxy> {

	/**
	 * Index the given proxies.
	 * @param proxies the proxies; their names must be distinct
	 */
	public ServiceProxies(Collection<? extends ServiceProxy> proxies) {
		super("service proxies", proxies);
	}

}
