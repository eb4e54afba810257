package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationListener.StartedOperation;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of one service host
 * operation. Its carrier is the operation as it started, whose request headers the getter
 * reads: a propagating tracing handler extracts the caller's trace context from them (W3C
 * {@code traceparent}, B3, ... as the caller sent) when the observation starts, so the
 * operation's span continues the caller's trace.
 * <p>
 * The host, operation id and caller's call id are set before the observation starts; the
 * operation's name, outcome and cancel reason when it ends. Written by the thread that
 * starts or stops the observation; read by the observation's handlers on that thread.
 *
 * @author Cancellable SOAP
 */
public class SoapServerObservationContext extends ReceiverContext<StartedOperation> {

	private final String host;

	private final String operationId;

	private final @Nullable String callerCallId;

	private @Nullable String operation;

	private @Nullable OperationOutcome outcome;

	private @Nullable CancelReason cancelReason;

	/**
	 * Create the context of an operation that starts.
	 * @param started the operation as it starts, whose request headers carry the caller's
	 * trace context
	 */
	public SoapServerObservationContext(StartedOperation started) {
		super(SoapServerObservationContext::header, Kind.SERVER);
		this.host = started.host();
		this.operationId = started.operationId();
		this.callerCallId = started.callerCallId();
		setCarrier(started);
	}

	private static @Nullable String header(@Nullable StartedOperation carrier, String name) {
		return (carrier != null) ? carrier.requestHeader(name) : null;
	}

	/**
	 * Forget the request's headers once the observation started: they can be read only
	 * while the operation's start is heard.
	 */
	void forgetRequestHeaders() {
		setCarrier(new StartedOperation(this.host, this.operationId, this.callerCallId));
	}

	/**
	 * The name of the host that serves the operation.
	 * @return the host name
	 */
	public String getHost() {
		return this.host;
	}

	/**
	 * The operation id, as operators see it.
	 * @return the operation id
	 */
	public String getOperationId() {
		return this.operationId;
	}

	/**
	 * The call id the caller sent in its {@code Soap-Call-Id} header.
	 * @return the caller's call id, or {@code null} when it sent none
	 */
	public @Nullable String getCallerCallId() {
		return this.callerCallId;
	}

	/**
	 * The operation's name as the matching endpoint mapping keys it.
	 * @return the name, or {@code null} before the operation ended or when no served
	 * endpoint was found
	 */
	public @Nullable String getOperation() {
		return this.operation;
	}

	/**
	 * Set the operation's name.
	 * @param operation the name, or {@code null}
	 */
	public void setOperation(@Nullable String operation) {
		this.operation = operation;
	}

	/**
	 * How the operation ended.
	 * @return the outcome, or {@code null} while it runs
	 */
	public @Nullable OperationOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the operation ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable OperationOutcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * Why the operation was cancelled.
	 * @return the reason, or {@code null} unless it ended cancelled
	 */
	public @Nullable CancelReason getCancelReason() {
		return this.cancelReason;
	}

	/**
	 * Set why the operation was cancelled.
	 * @param cancelReason the reason, or {@code null}
	 */
	public void setCancelReason(@Nullable CancelReason cancelReason) {
		this.cancelReason = cancelReason;
	}

}
