package io.github.cancellablesoap.actuate.health;

import io.github.cancellablesoap.core.LifecycleVerbs;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the health of one proxy or host from its state, the rule both share: OPEN is
 * UP, FAULTED is OUT_OF_SERVICE, CLOSING and CLOSED are DOWN, CREATED and OPENING are
 * UNKNOWN; the first detail is the {@code state}, subclasses add theirs. Map
 * OUT_OF_SERVICE with Boot's {@code management.endpoint.health.status.*} properties to
 * change how a fault is reported.
 * <p>
 * Thread-safe when the subclass's additions are.
 *
 * @param <T> the target type
 * @author Cancellable SOAP
 */
public abstract class LifecycleHealthIndicator<T extends LifecycleVerbs<?>> implements HealthIndicator {

	private final T target;

	/**
	 * Report the health of a target.
	 * @param target the proxy or host
	 */
	protected LifecycleHealthIndicator(T target) {
		this.target = target;
	}

	@Override
	public final Health health() {
		Enum<?> state = this.target.state();
		Health.Builder builder = Health.status(status(state.name())).withDetail("state", state.name());
		details(this.target, builder);
		return builder.build();
	}

	/**
	 * The status of a target in a state.
	 * @param state the state's name, one of {@code Lifecycle.State}'s
	 * @return the status
	 */
	protected Status status(String state) {
		return switch (state) {
			case "OPEN" -> Status.UP;
			case "FAULTED" -> Status.OUT_OF_SERVICE;
			case "CLOSING", "CLOSED" -> Status.DOWN;
			default -> Status.UNKNOWN;
		};
	}

	/**
	 * Add the target's own details after its state.
	 * @param target the target
	 * @param builder the health being built
	 */
	protected abstract void details(T target, Health.Builder builder);

	/**
	 * The target.
	 * @return the proxy or host
	 */
	protected final T target() {
		return this.target;
	}

}
