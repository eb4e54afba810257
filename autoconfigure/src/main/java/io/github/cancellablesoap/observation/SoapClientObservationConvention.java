package io.github.cancellablesoap.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of service proxy calls: implement it, or extend
 * {@link DefaultSoapClientObservationConvention}, and declare it as a bean to change the
 * name, contextual name or keys of the {@code soap.client.call} observations.
 *
 * @author Cancellable SOAP
 */
public interface SoapClientObservationConvention extends ObservationConvention<SoapClientObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SoapClientObservationContext;
	}

}
