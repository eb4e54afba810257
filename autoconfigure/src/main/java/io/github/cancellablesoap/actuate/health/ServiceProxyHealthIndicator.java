package io.github.cancellablesoap.actuate.health;

import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.Addresses;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports one service proxy's health from its state: OPEN is UP, FAULTED is
 * OUT_OF_SERVICE, CLOSING and CLOSED are DOWN, CREATED and OPENING are UNKNOWN; details
 * give the state, the address (without user info or query values) and the calls in
 * flight. Map OUT_OF_SERVICE with Boot's {@code management.endpoint.health.status.*}
 * properties to change how a fault is reported.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceProxyHealthIndicator implements HealthIndicator {

	private final ServiceProxy proxy;

	public ServiceProxyHealthIndicator(ServiceProxy proxy) {
		this.proxy = proxy;
	}

	@Override
	public Health health() {
		ProxyState state = this.proxy.state();
		return Health.status(status(state))
			.withDetail("state", state.name())
			.withDetail("address", Addresses.redact(this.proxy.address()))
			.withDetail("pendingCalls", this.proxy.pendingCalls())
			.withDetail("abandonedCalls", this.proxy.abandonedCalls())
			.build();
	}

	private static Status status(ProxyState state) {
		return switch (state) {
			case OPEN -> Status.UP;
			case FAULTED -> Status.OUT_OF_SERVICE;
			case CLOSING, CLOSED -> Status.DOWN;
			default -> Status.UNKNOWN;
		};
	}

}
