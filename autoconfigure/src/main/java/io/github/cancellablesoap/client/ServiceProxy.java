package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.github.cancellablesoap.core.LifecycleVerbs;
import io.github.cancellablesoap.core.VerbResult;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.WebServiceOperations;

/**
 * A named client of one remote SOAP service whose calls are tracked and can be abandoned,
 * aborted or timed out; code written against Spring WS's {@link WebServiceOperations}
 * keeps working unchanged. Its name, state and lifecycle verbs ({@code open},
 * {@code abort}, {@code close}, {@code reset} and their {@code *AndReport} forms) are
 * those that hosts share ({@link LifecycleVerbs}); for a proxy they mean:
 * <ul>
 * <li>open: CREATED to OPEN, starting its transport; a no-op when OPEN; an
 * {@link IllegalStateException} when it is neither, or was aborted while opening;</li>
 * <li>abort: the I/O of every pending call is cancelled and its socket closed, callers
 * fail with {@link CallAbortedException}, the transport is stopped, and the proxy refuses
 * calls until reset (OPEN to FAULTED, CLOSING to CLOSED, OPENING to CREATED, elsewhere
 * nothing); its report says whether running I/O was cancelled and how many calls were
 * released or had their I/O cancelled;</li>
 * <li>close: refuse new calls, let pending ones finish within the close timeout, abort
 * what is left, then release the transport (OPEN or FAULTED to CLOSED through CLOSING,
 * CREATED to CLOSED at once); its report says whether I/O left at the close timeout was
 * cancelled and how many calls were in flight when the close began;</li>
 * <li>reset: CLOSED or FAULTED to CREATED, ready to be opened.</li>
 * </ul>
 * <p>
 * Its calls come in three forms: blocking ({@link WebServiceOperations}: the caller's
 * thread marshals, sends, waits and unmarshals), submitted ({@link #submit}: the same on
 * an executor's thread, which waits), and non-blocking ({@link AsyncServiceOperations}:
 * the caller's thread marshals and sends, no thread waits, an executor's thread
 * unmarshals), for high fan-out.
 * <p>
 * Every method is thread-safe. Operator verbs ({@link #abort}, {@link #abandon},
 * {@link #abortCall}, ...) never wait for I/O; {@link #close()} waits, at most for the
 * close timeout.
 *
 * @author Cancellable SOAP
 */
public interface ServiceProxy extends WebServiceOperations, AsyncServiceOperations, LifecycleVerbs<ProxyState> {

	/**
	 * The address of the remote service.
	 * @return the address
	 */
	URI address();

	/**
	 * Abandon one call: its caller is released at once with
	 * {@link CallAbandonedException}, its I/O goes on in the background (still listed and
	 * counted) until it ends or the abandoned-I/O timeout aborts it.
	 * @param callId the call id
	 * @return {@code true} when the call was pending and is now abandoned
	 */
	default boolean abandon(String callId) {
		return abandonAndReport(callId).map(VerbResult::changed).orElse(false);
	}

	/**
	 * Abandon one call, as {@link #abandon(String)} does, and say what that did.
	 * @param callId the call id
	 * @return the call's state before and after ({@code PENDING}, then {@code ABANDONED},
	 * or the outcome it already had), or empty when no such call is in flight
	 */
	Optional<VerbResult> abandonAndReport(String callId);

	/**
	 * Abandon every pending call.
	 * @return how many calls were abandoned
	 */
	int abandonAll();

	/**
	 * Abort one call's channel: its I/O is cancelled and its socket closed; if its caller
	 * still waits, it fails with {@link CallAbortedException}. Works on abandoned calls
	 * too. The proxy stays OPEN.
	 * @param callId the call id
	 * @param reason why; may be {@code null}
	 * @return {@code true} when this released the caller or cancelled running I/O
	 */
	default boolean abortCall(String callId, @Nullable String reason) {
		return abortCallAndReport(callId, reason).map(VerbResult::changed).orElse(false);
	}

	/**
	 * Abort one call's channel, as {@link #abortCall(String, String)} does, and say what
	 * that did.
	 * @param callId the call id
	 * @param reason why; may be {@code null}
	 * @return the call's state before and after ({@code ABORTED} when this decided it,
	 * else the outcome it already had) and whether running I/O was cancelled, or empty
	 * when no such call is in flight
	 */
	Optional<VerbResult> abortCallAndReport(String callId, @Nullable String reason);

	/**
	 * Abort one call's channel, without a reason.
	 * @param callId the call id
	 * @return {@code true} when this released the caller or cancelled running I/O
	 * @see #abortCall(String, String)
	 */
	default boolean abortCall(String callId) {
		return abortCall(callId, null);
	}

	/**
	 * Abort the call carried by a channel.
	 * @param channelId the channel id, as listed in {@link CallInfo#channelId()}
	 * @param reason why; may be {@code null}
	 * @return {@code true} when this released a caller or cancelled running I/O
	 */
	default boolean abortChannel(String channelId, @Nullable String reason) {
		return abortChannelAndReport(channelId, reason).map(VerbResult::changed).orElse(false);
	}

	/**
	 * Abort the call carried by a channel, as {@link #abortChannel(String, String)} does,
	 * and say what that did.
	 * @param channelId the channel id
	 * @param reason why; may be {@code null}
	 * @return the call's state before and after and whether running I/O was cancelled, or
	 * empty when no call in flight uses that channel
	 */
	Optional<VerbResult> abortChannelAndReport(String channelId, @Nullable String reason);

	/**
	 * A snapshot of the calls in flight: pending ones, and abandoned ones whose I/O still
	 * runs.
	 * @return an immutable list, oldest first
	 */
	List<CallInfo> calls();

	/**
	 * A snapshot of one call in flight.
	 * @param callId the call id
	 * @return the call, or empty when no such call is in flight
	 */
	Optional<CallInfo> call(String callId);

	/**
	 * The number of calls in flight, abandoned ones included; the quota counts these.
	 * @return the count
	 */
	int pendingCalls();

	/**
	 * The number of abandoned calls whose I/O still runs; part of
	 * {@link #pendingCalls()}.
	 * @return the count
	 */
	int abandonedCalls();

	/**
	 * A view of this proxy whose calls use another timeout.
	 * @param callTimeout the timeout of each call made through the view
	 * @return the view, in the blocking and the non-blocking form; it shares this proxy's
	 * state, quota and calls
	 */
	ServiceProxyView withCallTimeout(Duration callTimeout);

	/**
	 * A view of this proxy whose calls are detached from the operation current on the
	 * caller's thread: they neither inherit its deadline nor are aborted when it is
	 * cancelled (grpc's forked context). Calls made through the proxy itself, or through
	 * {@link #withCallTimeout}, follow the current operation. To detach a {@link #submit
	 * submitted} call or a call with another timeout, make it inside
	 * {@code io.github.cancellablesoap.core.CancellationScope.detached(...)}.
	 * @return the view, in the blocking and the non-blocking form; it shares this proxy's
	 * state, quota, timeout and calls
	 */
	ServiceProxyView detached();

	/**
	 * Start a call on an executor and hand back its call id at once, so that the caller
	 * can watch or abandon it while it runs. The call timeout counts from now.
	 * @param <T> the result type
	 * @param call what to do with the proxy's operations, for example
	 * {@code ops -> ops.marshalSendAndReceive(request)}
	 * @param executor where the call runs; it must not run tasks on the submitting thread
	 * @return the pending call; its result completes when the call ends, also when a
	 * cancellation ends it while it still waits in the executor's queue, and
	 * {@link PendingCall#cancel(boolean)} aborts or abandons it
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	<T> PendingCall<T> submit(Function<WebServiceOperations, @Nullable T> call, Executor executor);

}
