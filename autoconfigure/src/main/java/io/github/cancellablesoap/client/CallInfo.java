package io.github.cancellablesoap.client;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one call that a proxy tracks: pending, or abandoned with its
 * I/O still in flight.
 *
 * @param id the call id
 * @param proxy the name of the proxy that carries the call
 * @param operation the operation called: the request payload's root element or the SOAP
 * action, {@code null} until the request was built
 * @param startTime when the call started
 * @param elapsed how long the call has been running when the snapshot was taken
 * @param phase where the call is in its exchange
 * @param abandoned whether the caller was released while the I/O goes on
 * @param outcome the outcome decided so far, {@code null} while the caller still waits
 * @param channelId the id of the channel carrying the exchange, {@code null} before it
 * started
 * @param traceId the trace id of the call's span, {@code null} when the call is not
 * traced
 * @author Cancellable SOAP
 */
public record CallInfo(String id, String proxy, @Nullable String operation, Instant startTime, Duration elapsed,
		CallPhase phase, boolean abandoned, @Nullable CallOutcome outcome, @Nullable String channelId,
		@Nullable String traceId) {

}
