package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

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
public class ServiceHostMeterBinder implements MeterBinder {

	private final ServiceHosts hosts;

	public ServiceHostMeterBinder(ServiceHosts hosts) {
		this.hosts = hosts;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ServiceHost host : this.hosts.all()) {
			Gauge.builder("soap.server.operations.active", host, (h) -> h.operations().size())
				.description("SOAP operations a service host is running")
				.tag("host", host.name())
				.register(registry);
		}
	}

}
