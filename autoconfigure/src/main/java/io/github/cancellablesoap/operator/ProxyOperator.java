package io.github.cancellablesoap.operator;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.VerbResult;
import io.github.cancellablesoap.operator.Descriptors.CallDescriptor;
import io.github.cancellablesoap.operator.Descriptors.ProxyDescriptor;
import io.github.cancellablesoap.operator.Descriptors.ProxySummary;
import org.jspecify.annotations.Nullable;

/**
 * The operator's reads and verbs on the client side: service proxies, their calls and the
 * channels carrying them. It receives parsed verbs and checked ids from the
 * {@link OperatorService}; unknown targets and verbs that do not fit a state are answers.
 * <p>
 * Thread-safe: every method may be called from any thread; the verbs themselves are
 * atomic in the proxies.
 *
 * @author Cancellable SOAP
 */
final class ProxyOperator extends TargetOperator<ServiceProxy, ProxySummary> {

	ProxyOperator(Supplier<List<ServiceProxy>> proxies) {
		super("proxy", proxies, ServiceProxy::name);
	}

	OperatorAnswer readCall(String callId) {
		return readHeld("call", callId, (proxy) -> proxy.call(callId).map(CallDescriptor::of));
	}

	OperatorAnswer act(ServiceProxy proxy, ProxyAction action, @Nullable String reason, long start) {
		ProxyState before = proxy.state();
		String verb = action.word();
		return switch (action) {
			case ABORT -> done(proxy, verb,
					AbortInitiator.as(AbortInitiator.OPERATOR, () -> proxy.abortAndReport(reason)), start, reason);
			case ABANDON_ALL -> {
				int count = proxy.abandonAll();
				yield done(proxy, verb, new VerbResult(before.name(), before.name(), count > 0, false, count), start,
						reason);
			}
			case CLOSE ->
				transition(proxy, verb, proxy::closeAndReport, proxy::state, "OPEN, FAULTED or CREATED", start, reason);
			case OPEN -> transition(proxy, verb, proxy::openAndReport, proxy::state, "CREATED", start, reason);
			case RESET -> (before == ProxyState.CREATED)
					? done(proxy, verb, VerbResult.unchanged(before.name()), start, reason)
					: transition(proxy, verb, proxy::resetAndReport, proxy::state, "CLOSED or FAULTED", start, reason);
		};
	}

	OperatorAnswer abortChannel(String channelId, ChannelAction action, @Nullable String reason, long start) {
		return onHolder("channel", channelId, action.word(),
				(proxy) -> proxy.calls().stream().anyMatch((call) -> channelId.equals(call.channelId())),
				(proxy) -> AbortInitiator.as(AbortInitiator.OPERATOR,
						() -> proxy.abortChannelAndReport(channelId, reason)),
				start, reason);
	}

	OperatorAnswer removeCall(String callId, CallRemoval removal, @Nullable String reason, long start) {
		return onHolder("call", callId, removal.word(), (proxy) -> proxy.call(callId).isPresent(),
				(proxy) -> switch (removal) {
					case ABANDON -> proxy.abandonAndReport(callId);
					case ABORT ->
						AbortInitiator.as(AbortInitiator.OPERATOR, () -> proxy.abortCallAndReport(callId, reason));
				}, start, reason);
	}

	@Override
	ProxySummary summarize(ServiceProxy proxy) {
		return new ProxySummary(proxy.name(), proxy.address().toString(), proxy.state().name(), proxy.pendingCalls(),
				proxy.abandonedCalls());
	}

	@Override
	ProxyDescriptor describe(ServiceProxy proxy, int limit) {
		List<CallInfo> calls = proxy.calls();
		return new ProxyDescriptor(proxy.name(), proxy.address().toString(), proxy.state().name(), proxy.pendingCalls(),
				proxy.abandonedCalls(), calls.size(), limit, calls.size() > limit,
				firstOf(calls, limit, CallDescriptor::of));
	}

	/**
	 * Run a verb on the first proxy that holds a call or channel; not found when none
	 * does, or when it ended before the verb reached it.
	 */
	private OperatorAnswer onHolder(String kind, String id, String verb, Predicate<ServiceProxy> holds,
			Function<ServiceProxy, Optional<VerbResult>> verbOnHolder, long start, @Nullable String reason) {
		return targets().stream()
			.filter(holds)
			.findFirst()
			.flatMap(verbOnHolder)
			.map((result) -> OperatorAnswer.done(kind, id, verb, result, start, reason))
			.orElseGet(() -> OperatorAnswer.notFound(kind, id));
	}

}
