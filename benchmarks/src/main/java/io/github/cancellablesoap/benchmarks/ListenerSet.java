package io.github.cancellablesoap.benchmarks;

import java.util.List;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CompositeCallListener;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.observation.AbortsMeter;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.ObservationCallListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The call listeners a benchmarked proxy carries: none, or the meters and the
 * observations that a Spring Boot application with the actuator installs on every proxy
 * ({@link MeterCallListener} on a {@link SimpleMeterRegistry},
 * {@link ObservationCallListener} on an {@link ObservationRegistry} whose only handler is
 * Micrometer's {@link DefaultMeterObservationHandler}, as Boot configures it without
 * tracing), alone or together in a {@link CompositeCallListener}, meters first.
 * <p>
 * Public so that JMH benchmarks in other packages can take it as a parameter. Immutable;
 * each {@link #create()} builds fresh registries.
 *
 * @author Cancellable SOAP
 */
public enum ListenerSet {

	/** No listener: what a proxy costs on its own. */
	NONE,

	/** The {@code soap.client.calls} timer and the {@code soap.aborts} counter. */
	METERS,

	/** The {@code soap.client.call} observation, measured by the meter handler. */
	OBSERVATIONS,

	/** Meters and observations, as a Boot application with the actuator has them. */
	BOTH;

	/**
	 * Build this set's listener over fresh registries.
	 * @return the listener to install with {@code DefaultServiceProxy#setCallListener}
	 */
	public CallListener create() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return switch (this) {
			case NONE -> CallListener.NONE;
			case METERS -> meters(meters);
			case OBSERVATIONS -> observations(meters);
			case BOTH -> CompositeCallListener.of(List.of(meters(meters), observations(meters)));
		};
	}

	/**
	 * Install this set's listener on a proxy, then open it.
	 * @param proxy a proxy in state CREATED
	 * @return the proxy, open
	 */
	public DefaultServiceProxy open(DefaultServiceProxy proxy) {
		proxy.setCallListener(create());
		proxy.open();
		return proxy;
	}

	/**
	 * A short label for reports.
	 * @return for example {@code meters+observations}
	 */
	public String label() {
		return switch (this) {
			case NONE -> "none";
			case METERS -> "meters";
			case OBSERVATIONS -> "observations";
			case BOTH -> "meters+observations";
		};
	}

	private static CallListener meters(MeterRegistry registry) {
		return new MeterCallListener(registry, new AbortsMeter(registry));
	}

	private static CallListener observations(MeterRegistry meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		return new ObservationCallListener(registry);
	}

}
