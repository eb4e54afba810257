package io.github.cancellablesoap.actuate.health;

import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.Addresses;

import org.springframework.boot.health.contributor.Health;

/**
 * Reports one service proxy's health from its state, as {@link LifecycleHealthIndicator}
 * says; details give the state, the address (without user info or query values) and the
 * calls in flight.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceProxyHealthIndicator extends LifecycleHealthIndicator<ServiceProxy> {

	public ServiceProxyHealthIndicator(ServiceProxy proxy) {
		super(proxy);
	}

	@Override
	protected void details(ServiceProxy proxy, Health.Builder builder) {
		builder.withDetail("address", Addresses.redact(proxy.address()))
			.withDetail("pendingCalls", proxy.pendingCalls())
			.withDetail("abandonedCalls", proxy.abandonedCalls());
	}

}
