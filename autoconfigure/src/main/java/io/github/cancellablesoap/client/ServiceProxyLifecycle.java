package io.github.cancellablesoap.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final Log logger = LogFactory.getLog(ServiceProxyLifecycle.class);

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
		List<Thread> closing = new ArrayList<>();
		for (ServiceProxy proxy : this.proxies.all()) {
			ProxyState state = proxy.state();
			if (state != ProxyState.OPEN && state != ProxyState.FAULTED) {
				continue;
			}
			this.closedByStop.add(proxy);
			Thread thread = new Thread(() -> close(proxy), "soap-proxy-close-" + proxy.name());
			thread.start();
			closing.add(thread);
		}
		for (Thread thread : closing) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.running = false;
	}

	private void close(ServiceProxy proxy) {
		try {
			proxy.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Proxy '" + proxy.name() + "' did not close cleanly", ex);
		}
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
