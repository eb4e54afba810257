package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.observation.SoapObservationDocumentation.HighCardinalityKeyNames;
import io.github.cancellablesoap.observation.SoapObservationDocumentation.LowCardinalityKeyNames;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.common.KeyValues;

/**
 * The default {@link SoapServerObservationConvention}: observation
 * {@code soap.server.operation}, contextual name {@code soap operation <host>
 * [<operation>]}, low-cardinality keys {@code host}, and once the operation ended
 * {@code operation.name} ({@code none} when no served endpoint was found),
 * {@code outcome} and {@code cancel.reason} ({@code none} unless cancelled);
 * high-cardinality keys {@code operation.id} and, when the caller sent one,
 * {@code call.id}.
 * <p>
 * Stateless and thread-safe.
 *
 * @author Cancellable SOAP
 */
public class DefaultSoapServerObservationConvention implements SoapServerObservationConvention {

	/** The shared instance. */
	public static final DefaultSoapServerObservationConvention INSTANCE = new DefaultSoapServerObservationConvention();

	private static final String NONE = "none";

	@Override
	public String getName() {
		return ObservationOperationListener.NAME;
	}

	@Override
	public String getContextualName(SoapServerObservationContext context) {
		String operation = context.getOperation();
		return "soap operation " + context.getHost() + ((operation != null) ? " " + operation : "");
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * While the operation runs only {@code host} is known, so that a long-task timer of
	 * running operations is tagged alike for all of them.
	 */
	@Override
	public KeyValues getLowCardinalityKeyValues(SoapServerObservationContext context) {
		KeyValues host = KeyValues.of(LowCardinalityKeyNames.HOST.withValue(context.getHost()));
		OperationOutcome outcome = context.getOutcome();
		if (outcome == null) {
			return host;
		}
		String operation = context.getOperation();
		CancelReason reason = context.getCancelReason();
		return host.and(LowCardinalityKeyNames.OPERATION.withValue((operation != null) ? operation : NONE),
				LowCardinalityKeyNames.OUTCOME.withValue(outcome.name()),
				LowCardinalityKeyNames.CANCEL_REASON.withValue((reason != null) ? reason.name() : NONE));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SoapServerObservationContext context) {
		KeyValues id = KeyValues.of(HighCardinalityKeyNames.OPERATION_ID.withValue(context.getOperationId()));
		String callerCallId = context.getCallerCallId();
		return (callerCallId != null) ? id.and(HighCardinalityKeyNames.CALL_ID.withValue(callerCallId)) : id;
	}

}
