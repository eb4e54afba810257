package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.observation.SoapObservationDocumentation.HighCardinalityKeyNames;
import io.github.cancellablesoap.observation.SoapObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link SoapClientObservationConvention}: observation
 * {@code soap.client.call}, contextual name {@code soap call <proxy> [<operation>]},
 * low-cardinality keys {@code proxy}, and once the call ended {@code operation.name}
 * ({@code none} when no request was built) and {@code outcome}; high-cardinality key
 * {@code call.id}.
 * <p>
 * Stateless and thread-safe.
 *
 * @author Cancellable SOAP
 */
public class DefaultSoapClientObservationConvention implements SoapClientObservationConvention {

	/** The shared instance. */
	public static final DefaultSoapClientObservationConvention INSTANCE = new DefaultSoapClientObservationConvention();

	private static final String NO_OPERATION = "none";

	@Override
	public String getName() {
		return ObservationCallListener.NAME;
	}

	@Override
	public String getContextualName(SoapClientObservationContext context) {
		String operation = context.getOperation();
		return "soap call " + context.getProxy() + ((operation != null) ? " " + operation : "");
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * While the call runs only {@code proxy} is known, so that a long-task timer of
	 * running calls is tagged alike for all of them.
	 */
	@Override
	public KeyValues getLowCardinalityKeyValues(SoapClientObservationContext context) {
		KeyValue proxy = LowCardinalityKeyNames.PROXY.withValue(context.getProxy());
		CallOutcome outcome = context.getOutcome();
		if (outcome == null) {
			return KeyValues.of(proxy);
		}
		String operation = context.getOperation();
		return KeyValues.of(proxy,
				LowCardinalityKeyNames.OPERATION.withValue((operation != null) ? operation : NO_OPERATION),
				LowCardinalityKeyNames.OUTCOME.withValue(outcome.name()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SoapClientObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.CALL_ID.withValue(context.getCallId()));
	}

}
