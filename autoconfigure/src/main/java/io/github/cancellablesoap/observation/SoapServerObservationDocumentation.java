package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.core.OperationNames;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * What the observations of service host operations record: their keys and events. The
 * keys a call and the operation serving it share are spelled alike on both sides
 * ({@code operation.name}, {@code outcome}, {@code call.id}).
 *
 * @author Cancellable SOAP
 */
public enum SoapServerObservationDocumentation implements ObservationDocumentation {

	/**
	 * One operation served by a service host, from its admission to its end.
	 */
	SERVER_OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSoapServerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return CancellationEvents.values();
		}

	};

	/**
	 * Low-cardinality keys of an operation.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The name of the host that served the operation. */
		HOST {
			@Override
			public String asString() {
				return "host";
			}
		},

		/**
		 * The operation served ({@code operation.name}, Spring WS's key, named by
		 * {@link OperationNames}), {@code none} when no served endpoint was found.
		 */
		OPERATION {
			@Override
			public String asString() {
				return OperationNames.OBSERVATION_KEY;
			}
		},

		/** How the operation ended, an {@code OperationOutcome} name. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * Why the operation was cancelled, a {@code CancelReason} name, else
		 * {@code none}.
		 */
		CANCEL_REASON {
			@Override
			public String asString() {
				return "cancel.reason";
			}
		}

	}

	/**
	 * High-cardinality keys of an operation.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The operation id. */
		OPERATION_ID {
			@Override
			public String asString() {
				return "operation.id";
			}
		},

		/**
		 * The call id the caller sent, the key its proxy's {@code soap.client.call}
		 * observation uses; only when the caller sent one.
		 */
		CALL_ID {
			@Override
			public String asString() {
				return "call.id";
			}
		}

	}

	/**
	 * Events of an operation; a cancellation is not an error.
	 */
	public enum CancellationEvents implements Observation.Event {

		/**
		 * The operation was cancelled; its contextual name takes the operation id and the
		 * cancel reason.
		 */
		CANCELLED {
			@Override
			public String getName() {
				return "soap.server.operation.cancelled";
			}

			@Override
			public String getContextualName() {
				return "operation %s cancelled: %s";
			}
		}

	}

}
