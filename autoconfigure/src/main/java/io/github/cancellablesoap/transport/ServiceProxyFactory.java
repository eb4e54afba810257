package io.github.cancellablesoap.transport;

import java.util.List;

import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxyRequestCustomizer;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Builds service proxies over the default HttpClient 5 transport, for applications that
 * wire proxies without the auto-configuration.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class ServiceProxyFactory {

	private ServiceProxyFactory() {
	}

	/**
	 * Create a proxy in state CREATED; call {@code open()} before use.
	 * @param settings the proxy's settings
	 * @param template the template that marshals and unmarshals; its message senders are
	 * replaced by the proxy's transport
	 * @param timer the timer that enforces abandoned-I/O limits; share one between
	 * proxies
	 * @return the proxy
	 */
	public static DefaultServiceProxy create(ProxySettings settings, WebServiceTemplate template,
			CancellationTimer timer) {
		return create(settings, template, timer, List.of());
	}

	/**
	 * Create a proxy in state CREATED whose requests the application completes; call
	 * {@code open()} before use.
	 * @param settings the proxy's settings
	 * @param template the template that marshals and unmarshals; its message senders are
	 * replaced by the proxy's transport
	 * @param timer the timer that enforces abandoned-I/O limits; share one between
	 * proxies
	 * @param requestCustomizers run on each request before it is sent, in order
	 * @return the proxy
	 */
	public static DefaultServiceProxy create(ProxySettings settings, WebServiceTemplate template,
			CancellationTimer timer, List<ServiceProxyRequestCustomizer> requestCustomizers) {
		return new DefaultServiceProxy(settings, template, new HttpComponents5Transport(settings, requestCustomizers),
				timer, Ticker.SYSTEM);
	}

}
