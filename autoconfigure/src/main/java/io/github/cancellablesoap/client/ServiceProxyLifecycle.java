package io.github.cancellablesoap.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cancellablesoap.core.ParallelClose;

import org.springframework.context.SmartLifecycle;

/**
 * Opens an application's service proxies when the application context starts and closes
 * them gracefully, all at once, when it stops: the stop takes as long as the longest
 * close timeout.
 * <p>
 * Its phase, {@link #PHASE}, stops proxies after the web server's graceful shutdown has
 * let in-flight requests (which may use proxies) finish, and before the web server stops.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceProxyLifecycle implements SmartLifecycle {

	/**
	 * Between Boot's graceful shutdown (DEFAULT_PHASE - 1024) and web server stop (-
	 * 2048).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private final ServiceProxies proxies;

	private final Set<ServiceProxy> closedByStop = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	public ServiceProxyLifecycle(ServiceProxies proxies) {
		this.proxies = proxies;
	}

	/**
	 * Open every CREATED proxy, and reopen those that {@link #stop()} closed (a context
	 * may be stopped and started again, as test contexts are when paused).
	 */
	@Override
	public void start() {
		for (ServiceProxy proxy : this.proxies.all()) {
			if (this.closedByStop.remove(proxy) && proxy.state() == ProxyState.CLOSED) {
				proxy.reset();
			}
			if (proxy.state() == ProxyState.CREATED) {
				proxy.open();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		Map<String, Runnable> closes = new LinkedHashMap<>();
		for (ServiceProxy proxy : this.proxies.all()) {
			ProxyState state = proxy.state();
			if (state == ProxyState.OPEN || state == ProxyState.FAULTED) {
				this.closedByStop.add(proxy);
				closes.put("soap-proxy-close-" + proxy.name(), proxy::close);
			}
		}
		ParallelClose.run(closes);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
