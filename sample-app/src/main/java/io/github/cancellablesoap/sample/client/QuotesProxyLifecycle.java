package io.github.cancellablesoap.sample.client;

import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Opens the {@code quotes} proxy once the web server listens, and closes it gracefully
 * (bounded by its close timeout) before the web server shuts down.
 * <p>
 * Thread-safe: the container calls it from one thread at a time.
 *
 * @author Cancellable SOAP
 */
public class QuotesProxyLifecycle implements SmartLifecycle {

	private final ObjectProvider<ServiceProxy> proxy;

	private volatile boolean running;

	QuotesProxyLifecycle(ObjectProvider<ServiceProxy> proxy) {
		this.proxy = proxy;
	}

	@Override
	public void start() {
		ServiceProxy quotes = this.proxy.getObject();
		if (quotes.state() == ProxyState.CREATED) {
			quotes.open();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.proxy.getObject().close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Start after the web server has started (its port is known), stop before it
		// drains requests, since the proxy calls this application's own service.
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 256;
	}

}
