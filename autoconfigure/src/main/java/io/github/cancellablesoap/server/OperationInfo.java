package io.github.cancellablesoap.server;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one running operation of a {@link ServiceHost}, as operators
 * and the actuator endpoint see it. Safe to share between threads.
 *
 * @param id the operation id
 * @param host the name of the host serving it
 * @param operation the SOAP action, or the local name of the payload root when the
 * request carries no action; {@code "?"} while the request is still being received
 * @param start when the request was admitted
 * @param elapsed how long it has been running when the snapshot was taken
 * @param callerAddress the caller's address and port
 * @param callerCallId the call id the caller sent, or {@code null}
 * @param deadline when the caller's time budget runs out, or {@code null}
 * @param cancellationRequested whether it was cancelled
 * @param cancelReason why it was cancelled, or {@code null}
 * @author Cancellable SOAP
 */
public record OperationInfo(String id, String host, String operation, Instant start, Duration elapsed,
		String callerAddress, @Nullable String callerCallId, @Nullable Instant deadline, boolean cancellationRequested,
		@Nullable CancelReason cancelReason) {

}
