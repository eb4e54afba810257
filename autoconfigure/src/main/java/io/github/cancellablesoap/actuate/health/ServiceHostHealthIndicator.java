package io.github.cancellablesoap.actuate.health;

import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.ServiceHost;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports one service host's health from its state and its listener's: an OPEN host whose
 * listener is OPEN is UP; a FAULTED host, or an OPEN host whose listener was aborted (it
 * refuses every request), is OUT_OF_SERVICE; CLOSING and CLOSED are DOWN; CREATED and
 * OPENING are UNKNOWN. Details give the host and listener states, the path and the number
 * of running operations. Map OUT_OF_SERVICE with Boot's
 * {@code management.endpoint.health.status.*} properties to change how a fault is
 * reported.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceHostHealthIndicator implements HealthIndicator {

	private final ServiceHost host;

	public ServiceHostHealthIndicator(ServiceHost host) {
		this.host = host;
	}

	@Override
	public Health health() {
		HostState state = this.host.state();
		ListenerState listener = this.host.listenerState();
		Health.Builder builder = Health.status(status(state, listener))
			.withDetail("state", state.name())
			.withDetail("listenerState", listener.name());
		if (this.host instanceof DefaultServiceHost defaultHost) {
			builder.withDetail("path", defaultHost.settings().path());
		}
		return builder.withDetail("runningOperations", this.host.operations().size()).build();
	}

	private static Status status(HostState state, ListenerState listener) {
		return switch (state) {
			case OPEN -> (listener == ListenerState.OPEN) ? Status.UP : Status.OUT_OF_SERVICE;
			case FAULTED -> Status.OUT_OF_SERVICE;
			case CLOSING, CLOSED -> Status.DOWN;
			default -> Status.UNKNOWN;
		};
	}

}
