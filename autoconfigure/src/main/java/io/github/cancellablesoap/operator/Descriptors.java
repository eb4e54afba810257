package io.github.cancellablesoap.operator;

import java.time.Instant;
import java.util.List;

import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.core.Addresses;
import io.github.cancellablesoap.server.OperationInfo;
import org.jspecify.annotations.Nullable;

/**
 * The immutable descriptors that operator reads answer with.
 * <p>
 * Immutable, so thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class Descriptors {

	private Descriptors() {
	}

	/**
	 * Every proxy and host, with its state and counts.
	 *
	 * @param proxies the proxies, in declaration order
	 * @param hosts the hosts, in declaration order
	 */
	public record Overview(List<ProxySummary> proxies, List<HostSummary> hosts) {

	}

	/**
	 * A proxy's state and counts.
	 *
	 * @param name the proxy name
	 * @param address the remote address, without user info or query values
	 * @param state the proxy state
	 * @param pendingCalls the calls in flight, abandoned ones included
	 * @param abandonedCalls the abandoned calls whose I/O still runs
	 */
	public record ProxySummary(String name, String address, String state, int pendingCalls, int abandonedCalls) {

		/**
		 * A summary never carries the secrets an address may hold.
		 */
		public ProxySummary {
			address = Addresses.redact(address);
		}

	}

	/**
	 * A proxy with its calls in flight, oldest first, at most {@code limit} of them.
	 *
	 * @param name the proxy name
	 * @param address the remote address, without user info or query values
	 * @param state the proxy state
	 * @param pendingCalls the calls in flight, abandoned ones included
	 * @param abandonedCalls the abandoned calls whose I/O still runs
	 * @param total how many calls the snapshot held
	 * @param limit the most calls listed
	 * @param truncated whether calls were left out
	 * @param calls the calls listed
	 */
	public record ProxyDescriptor(String name, String address, String state, int pendingCalls, int abandonedCalls,
			int total, int limit, boolean truncated, List<CallDescriptor> calls) {

		/**
		 * A descriptor never carries the secrets an address may hold.
		 */
		public ProxyDescriptor {
			address = Addresses.redact(address);
		}

	}

	/**
	 * One call in flight.
	 *
	 * @param id the call id
	 * @param proxy the proxy name
	 * @param operation the operation called, or {@code null} before the request was built
	 * @param startTime when it started
	 * @param elapsedMillis how long it has run
	 * @param phase where it is in its exchange
	 * @param abandoned whether its caller was released while the I/O goes on
	 * @param outcome the outcome decided so far, or {@code null}
	 * @param channelId the channel carrying it, or {@code null} before it started
	 * @param traceId the trace id of the call's span, or {@code null} without a tracer
	 */
	public record CallDescriptor(String id, String proxy, @Nullable String operation, Instant startTime,
			long elapsedMillis, String phase, boolean abandoned, @Nullable String outcome, @Nullable String channelId,
			@Nullable String traceId) {

		static CallDescriptor of(CallInfo info) {
			return new CallDescriptor(info.id(), info.proxy(), info.operation(), info.startTime(),
					info.elapsed().toMillis(), info.phase().name(), info.abandoned(),
					(info.outcome() != null) ? info.outcome().name() : null, info.channelId(), info.traceId());
		}

	}

	/**
	 * A host's states and count of running operations.
	 *
	 * @param name the host name
	 * @param state the host state
	 * @param listenerState the listener state
	 * @param runningOperations how many operations run
	 */
	public record HostSummary(String name, String state, String listenerState, int runningOperations) {

	}

	/**
	 * A host with its running operations, oldest first, at most {@code limit} of them.
	 *
	 * @param name the host name
	 * @param state the host state
	 * @param listenerState the listener state
	 * @param total how many operations the snapshot held
	 * @param limit the most operations listed
	 * @param truncated whether operations were left out
	 * @param operations the operations listed
	 */
	public record HostDescriptor(String name, String state, String listenerState, int total, int limit,
			boolean truncated, List<OperationDescriptor> operations) {

	}

	/**
	 * One running operation.
	 *
	 * @param id the operation id
	 * @param host the host name
	 * @param operation the SOAP action or payload root name
	 * @param startTime when it was admitted
	 * @param elapsedMillis how long it has run
	 * @param callerAddress the caller's address and port
	 * @param callerCallId the call id the caller sent, or {@code null}
	 * @param deadline when the caller's budget runs out, or {@code null}
	 * @param cancellationRequested whether it was cancelled
	 * @param cancelReason why, or {@code null}
	 */
	public record OperationDescriptor(String id, String host, String operation, Instant startTime, long elapsedMillis,
			String callerAddress, @Nullable String callerCallId, @Nullable Instant deadline,
			boolean cancellationRequested, @Nullable String cancelReason) {

		static OperationDescriptor of(OperationInfo info) {
			return new OperationDescriptor(info.id(), info.host(), info.operation(), info.start(),
					info.elapsed().toMillis(), info.callerAddress(), info.callerCallId(), info.deadline(),
					info.cancellationRequested(), (info.cancelReason() != null) ? info.cancelReason().name() : null);
		}

	}

}
