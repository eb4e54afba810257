package io.github.cancellablesoap.observation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one provider of the {@code soap.aborts} counter (tags {@code target},
 * {@code reason}, {@code initiator}), shared by the proxies' and the hosts' meter
 * listeners: each tag set's counter is registered once and then taken from a cache, so
 * that counting an abort costs a map look-up, not a registration.
 * <p>
 * Thread-safe. The cache is bounded by the tag values, which come from fixed sets
 * (targets, reason categories, initiators), never from callers.
 *
 * @author Cancellable SOAP
 */
public final class AbortsMeter {

	/** The counter's name. */
	public static final String NAME = "soap.aborts";

	private static final String DESCRIPTION = "Aborts of SOAP proxies, calls, channels, hosts, listeners and operations";

	private final MeterRegistry registry;

	private final ConcurrentMap<Tags, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Count aborts in a registry.
	 * @param registry the registry
	 */
	public AbortsMeter(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Count one abort.
	 * @param target what was aborted, such as {@code call} or {@code host}
	 * @param reason why, such as {@code requested} or {@code caller-gone}
	 * @param initiator who asked, such as {@code operator}
	 */
	public void increment(String target, String reason, String initiator) {
		this.counters.computeIfAbsent(new Tags(target, reason, initiator), this::register).increment();
	}

	private Counter register(Tags tags) {
		return Counter.builder(NAME)
			.description(DESCRIPTION)
			.tag("target", tags.target())
			.tag("reason", tags.reason())
			.tag("initiator", tags.initiator())
			.register(this.registry);
	}

	private record Tags(String target, String reason, String initiator) {
	}

}
