package io.github.cancellablesoap.observation;

import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records service proxy calls as Micrometer meters: the {@code soap.client.calls} timer
 * (tags {@code proxy}, {@code operation}, {@code outcome}; rejected calls count with a
 * zero duration) and the {@code soap.aborts} counter (tags {@code target},
 * {@code reason}, {@code initiator}). A cancelled call is an outcome tag, not an error.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class MeterCallListener implements CallListener, InlineListener {

	/** Timer of calls, by proxy, operation and outcome. */
	public static final String CALLS = "soap.client.calls";

	/** Counter of aborts, by target, reason and initiator: {@link AbortsMeter#NAME}. */
	public static final String ABORTS = AbortsMeter.NAME;

	private static final String NO_OPERATION = "none";

	private final MeterRegistry registry;

	private final AbortsMeter aborts;

	/**
	 * Record calls in a registry, with aborts counted by a provider of its own.
	 * @param registry the registry
	 */
	public MeterCallListener(MeterRegistry registry) {
		this(registry, new AbortsMeter(registry));
	}

	/**
	 * Record calls in a registry.
	 * @param registry the registry
	 * @param aborts the provider of the {@code soap.aborts} counter
	 */
	public MeterCallListener(MeterRegistry registry, AbortsMeter aborts) {
		this.registry = registry;
		this.aborts = aborts;
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		timer(call.proxy(), call.operation(), call.outcome()).record(call.durationNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void callRejected(String proxy, String callId) {
		timer(proxy, null, CallOutcome.REJECTED).record(0, TimeUnit.NANOSECONDS);
	}

	@Override
	public void aborted(AbortEvent event) {
		this.aborts.increment(event.target(), event.reason(), event.initiator());
	}

	private Timer timer(String proxy, @Nullable String operation, CallOutcome outcome) {
		return Timer.builder(CALLS)
			.description("SOAP calls made through service proxies")
			.tag("proxy", proxy)
			.tag("operation", (operation != null) ? operation : NO_OPERATION)
			.tag("outcome", outcome.name())
			.register(this.registry);
	}

}
