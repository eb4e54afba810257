package io.github.cancellablesoap.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.github.cancellablesoap.core.LifecycleVerbs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the live counts of proxies or hosts as gauges, one per target and count, each
 * tagged with the target's name: the shape the proxies' and hosts' binders share.
 * <p>
 * Thread-safe once constructed: the gauges are declared by the subclass's constructor,
 * and each reading calls the target.
 *
 * @param <T> the target type
 * @author Cancellable SOAP
 */
public abstract class GaugesBinder<T extends LifecycleVerbs<?>> implements MeterBinder {

	private final String tag;

	private final List<T> targets;

	private final List<Spec<T>> gauges = new ArrayList<>();

	/**
	 * Bind gauges of some targets.
	 * @param tag the tag that carries a target's name, such as {@code proxy}
	 * @param targets the targets
	 */
	protected GaugesBinder(String tag, List<T> targets) {
		this.tag = tag;
		this.targets = List.copyOf(targets);
	}

	/**
	 * Declare a gauge that every target gets.
	 * @param name the gauge's name
	 * @param description its description
	 * @param count reads the count from a target
	 */
	protected final void gauge(String name, String description, ToDoubleFunction<T> count) {
		this.gauges.add(new Spec<>(name, description, count));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (T target : this.targets) {
			for (Spec<T> gauge : this.gauges) {
				Gauge.builder(gauge.name(), target, gauge.count())
					.description(gauge.description())
					.tag(this.tag, target.name())
					.register(registry);
			}
		}
	}

	private record Spec<T>(String name, String description, ToDoubleFunction<T> count) {
	}

}
