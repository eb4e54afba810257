package io.github.cancellablesoap.observation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * Each tag set's timer is registered once and then taken from a cache, so that recording
 * a call costs a map look-up, not a registration (building its tags and its id). The
 * cache holds at most {@value #MAX_CACHED_TIMERS} timers (beyond that, timers are
 * registered per call, as without a cache) and forgets a timer the registry removes.
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

	/** The most timers the cache holds: proxies x operations x outcomes in use. */
	static final int MAX_CACHED_TIMERS = 1024;

	private final MeterRegistry registry;

	private final AbortsMeter aborts;

	private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

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
		registry.config().onMeterRemoved((meter) -> {
			if (meter instanceof Timer timer) {
				this.timers.values().remove(timer);
			}
		});
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
		TimerKey key = new TimerKey(proxy, (operation != null) ? operation : NO_OPERATION, outcome);
		Timer timer = this.timers.get(key);
		if (timer == null) {
			timer = register(key);
			if (this.timers.size() < MAX_CACHED_TIMERS) {
				this.timers.putIfAbsent(key, timer);
			}
		}
		return timer;
	}

	private Timer register(TimerKey key) {
		return Timer.builder(CALLS)
			.description("SOAP calls made through service proxies")
			.tag("proxy", key.proxy())
			.tag("operation", key.operation())
			.tag("outcome", key.outcome().name())
			.register(this.registry);
	}

	private record TimerKey(String proxy, String operation, CallOutcome outcome) {
	}

}
