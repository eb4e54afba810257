package io.github.cancellablesoap.observation;

import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records service host operations as Micrometer meters: the
 * {@code soap.server.operations} timer (tags {@code host}, {@code operation},
 * {@code outcome}, {@code cancel.reason}; refused requests count with outcome
 * {@code REJECTED} and a zero duration) and the {@code soap.aborts} counter shared with
 * the proxies (tags {@code target} = {@code host}, {@code listener} or {@code operation},
 * {@code reason}, {@code initiator}). A cancelled operation is an outcome tag, not an
 * error.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class MeterOperationListener implements OperationListener, InlineListener {

	/** Timer of operations, by host, operation, outcome and cancel reason. */
	public static final String OPERATIONS = "soap.server.operations";

	private static final String NONE = "none";

	private final Meter.MeterProvider<Timer> operations;

	private final AbortsMeter aborts;

	/**
	 * Record operations in a registry, with aborts counted by a provider of its own.
	 * @param registry the registry
	 */
	public MeterOperationListener(MeterRegistry registry) {
		this(registry, new AbortsMeter(registry));
	}

	/**
	 * Record operations in a registry.
	 * @param registry the registry
	 * @param aborts the provider of the {@code soap.aborts} counter
	 */
	public MeterOperationListener(MeterRegistry registry, AbortsMeter aborts) {
		this.operations = Timer.builder(OPERATIONS)
			.description("SOAP operations served by service hosts")
			.withRegistry(registry);
		this.aborts = aborts;
	}

	@Override
	public void operationRejected(Rejection rejection) {
		timer(rejection.host(), null, OperationOutcome.REJECTED, null).record(0, TimeUnit.NANOSECONDS);
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		String cancelReason = (operation.cancelReason() != null) ? operation.cancelReason().name() : null;
		timer(operation.host(), operation.operation(), operation.outcome(), cancelReason)
			.record(operation.durationNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void aborted(AbortEvent event) {
		this.aborts.increment(event.target(), event.reason(), event.initiator());
	}

	private Timer timer(String host, @Nullable String operation, OperationOutcome outcome,
			@Nullable String cancelReason) {
		return this.operations.withTags(Tags.of("host", host, "operation", (operation != null) ? operation : NONE,
				"outcome", outcome.name(), "cancel.reason", (cancelReason != null) ? cancelReason : NONE));
	}

}
