package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.core.OperationNames;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * What the observations of service proxy calls and service host operations record: their
 * keys and events. A call and the operation that serves it share one set of key names, so
 * that the keys both sides write ({@code operation.name}, {@code outcome},
 * {@code call.id}) are spelled alike; each observation lists the keys it writes.
 *
 * @author Cancellable SOAP
 */
public enum SoapObservationDocumentation implements ObservationDocumentation {

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
			return new KeyName[] { LowCardinalityKeyNames.PROXY, LowCardinalityKeyNames.OPERATION,
					LowCardinalityKeyNames.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.CALL_ID };
		}

		@Override
		public Observation.Event[] getEvents() {
			return ClientEvents.values();
		}

	},

	/**
	 * One operation served by a service host, from its admission to its end; it continues
	 * its caller's trace and is current on the serving thread while the endpoint runs.
	 */
	SERVER_OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSoapServerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.HOST, LowCardinalityKeyNames.OPERATION,
					LowCardinalityKeyNames.OUTCOME, LowCardinalityKeyNames.CANCEL_REASON };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.OPERATION_ID, HighCardinalityKeyNames.CALL_ID };
		}

		@Override
		public Observation.Event[] getEvents() {
			return ServerEvents.values();
		}

	};

	/**
	 * Low-cardinality keys of calls and operations.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The name of the proxy that made the call. */
		PROXY {
			@Override
			public String asString() {
				return "proxy";
			}
		},

		/** The name of the host that served the operation. */
		HOST {
			@Override
			public String asString() {
				return "host";
			}
		},

		/**
		 * The operation called or served ({@code operation.name}, Spring WS's key, named
		 * by {@link OperationNames}), {@code none} when no request was built or no served
		 * endpoint was found.
		 */
		OPERATION {
			@Override
			public String asString() {
				return OperationNames.OBSERVATION_KEY;
			}
		},

		/**
		 * How the call ended for its caller (a {@code CallOutcome} name) or the operation
		 * ended (an {@code OperationOutcome} name).
		 */
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
	 * High-cardinality keys of calls and operations.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The call id: the one a proxy sends, and on the host the one its caller sent,
		 * when it sent one.
		 */
		CALL_ID {
			@Override
			public String asString() {
				return "call.id";
			}
		},

		/** The operation id. */
		OPERATION_ID {
			@Override
			public String asString() {
				return "operation.id";
			}
		}

	}

	/**
	 * Events recorded when a cancellation released a call's caller; a cancellation is not
	 * an error.
	 */
	public enum ClientEvents implements Observation.Event {

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

	/**
	 * Events of an operation; a cancellation is not an error.
	 */
	public enum ServerEvents implements Observation.Event {

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
