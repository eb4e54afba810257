package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds a proxy's live counts as gauges: {@code soap.client.calls.active} (calls whose
 * caller still waits) and {@code soap.client.calls.abandoned.active} (abandoned calls
 * whose I/O still runs), each tagged with {@code proxy}. Their sum is what
 * {@code max-pending-calls} bounds.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceProxyMeterBinder implements MeterBinder {

	private final ServiceProxies proxies;

	public ServiceProxyMeterBinder(ServiceProxies proxies) {
		this.proxies = proxies;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ServiceProxy proxy : this.proxies.all()) {
			Gauge.builder("soap.client.calls.active", proxy, (p) -> p.pendingCalls() - p.abandonedCalls())
				.description("SOAP calls whose caller is waiting")
				.tag("proxy", proxy.name())
				.register(registry);
			Gauge.builder("soap.client.calls.abandoned.active", proxy, ServiceProxy::abandonedCalls)
				.description("Abandoned SOAP calls whose I/O is still running")
				.tag("proxy", proxy.name())
				.register(registry);
		}
	}

}
