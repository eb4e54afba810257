package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.core.OperationNames;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * What the observations of service proxy calls record: their keys and events.
 *
 * @author Cancellable SOAP
 */
public enum SoapClientObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call through a service proxy, from admission to the release of its caller.
	 */
	CLIENT_CALL {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSoapClientObservationConvention.class;
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
	 * Low-cardinality keys of a call.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The name of the proxy that made the call. */
		PROXY {
			@Override
			public String asString() {
				return "proxy";
			}
		},

		/**
		 * The operation called ({@code operation.name}, Spring WS's key, named by
		 * {@link OperationNames}), {@code none} when no request was built.
		 */
		OPERATION {
			@Override
			public String asString() {
				return OperationNames.OBSERVATION_KEY;
			}
		},

		/** How the call ended for its caller, a {@code CallOutcome} name. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/**
	 * High-cardinality keys of a call.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The call id, also sent to the peer. */
		CALL_ID {
			@Override
			public String asString() {
				return "call.id";
			}
		}

	}

	/**
	 * Events recorded when a cancellation released the caller; a cancellation is not an
	 * error.
	 */
	public enum CancellationEvents implements Observation.Event {

		/** The caller was released while the call's I/O goes on. */
		ABANDONED {
			@Override
			public String getName() {
				return "soap.call.abandoned";
			}
		},

		/** The call's channel was aborted. */
		ABORTED {
			@Override
			public String getName() {
				return "soap.call.aborted";
			}
		},

		/** The call timed out. */
		TIMED_OUT {
			@Override
			public String getName() {
				return "soap.call.timed_out";
			}
		}

	}

}
