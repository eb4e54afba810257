package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;

/**
 * Binds a host's live count as a gauge: {@code soap.server.operations.active} (operations
 * admitted and not yet ended, those still receiving their request included), tagged with
 * {@code host}. It is what {@code max-concurrent-operations} bounds.
 * <p>
 * Thread-safe. Each reading takes a snapshot of the host's operations, so its cost grows
 * with the number running.
 *
 * @author Cancellable SOAP
 */
public class ServiceHostMeterBinder extends GaugesBinder<ServiceHost> {

	public ServiceHostMeterBinder(ServiceHosts hosts) {
		super("host", hosts.all());
		gauge("soap.server.operations.active", "SOAP operations a service host is running",
				(host) -> host.operations().size());
	}

}
