package io.github.cancellablesoap.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of service host operations: implement it, or extend
 * {@link DefaultSoapServerObservationConvention}, and declare it as a bean to change the
 * name, contextual name or keys of the {@code soap.server.operation} observations.
 *
 * @author Cancellable SOAP
 */
public interface SoapServerObservationConvention extends ObservationConvention<SoapServerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SoapServerObservationContext;
	}

}
