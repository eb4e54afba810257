package io.github.cancellablesoap.client;

import io.github.cancellablesoap.core.TargetsLifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * Opens an application's service proxies when the application context starts and closes
 * them gracefully, all at once, when it stops: the stop takes as long as the longest
 * close timeout. See {@link TargetsLifecycle} for what start and stop do.
 * <p>
 * Its phase, {@link #PHASE}, stops proxies after the web server's graceful shutdown has
 * let in-flight requests (which may use proxies) finish, and before the web server stops.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceProxyLifecycle extends TargetsLifecycle<ServiceProxy> implements SmartLifecycle {

	/**
	 * Between Boot's graceful shutdown (DEFAULT_PHASE - 1024) and web server stop (-
	 * 2048).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	/**
	 * Create the lifecycle of the given proxies.
	 * @param proxies the proxies
	 */
	public ServiceProxyLifecycle(ServiceProxies proxies) {
		super("proxy", proxies.all(), PHASE);
	}

}
