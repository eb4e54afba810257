package io.github.cancellablesoap.actuate.health;

import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.ServiceHost;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports one service host's health from its state and its listener's: as
 * {@link LifecycleHealthIndicator} says, except that an OPEN host whose listener was
 * aborted (it refuses every request) is OUT_OF_SERVICE. Details give the host and
 * listener states, the path and the number of running operations.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ServiceHostHealthIndicator extends LifecycleHealthIndicator<ServiceHost> {

	public ServiceHostHealthIndicator(ServiceHost host) {
		super(host);
	}

	@Override
	protected Status status(String state) {
		Status status = super.status(state);
		return (status == Status.UP && target().listenerState() != ListenerState.OPEN) ? Status.OUT_OF_SERVICE : status;
	}

	@Override
	protected void details(ServiceHost host, Health.Builder builder) {
		builder.withDetail("listenerState", host.listenerState().name());
		if (host instanceof DefaultServiceHost defaultHost) {
			builder.withDetail("path", defaultHost.settings().path());
		}
		builder.withDetail("runningOperations", host.operations().size());
	}

}
