package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;

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
public class ServiceProxyMeterBinder extends GaugesBinder<ServiceProxy> {

	public ServiceProxyMeterBinder(ServiceProxies proxies) {
		super("proxy", proxies.all());
		gauge("soap.client.calls.active", "SOAP calls whose caller is waiting",
				(proxy) -> proxy.pendingCalls() - proxy.abandonedCalls());
		gauge("soap.client.calls.abandoned.active", "Abandoned SOAP calls whose I/O is still running",
				ServiceProxy::abandonedCalls);
	}

}
