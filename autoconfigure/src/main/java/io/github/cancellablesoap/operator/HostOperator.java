package io.github.cancellablesoap.operator;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.VerbResult;
import io.github.cancellablesoap.operator.Descriptors.HostDescriptor;
import io.github.cancellablesoap.operator.Descriptors.HostSummary;
import io.github.cancellablesoap.operator.Descriptors.OperationDescriptor;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import org.jspecify.annotations.Nullable;

/**
 * The operator's reads and verbs on the server side: service hosts, their listeners and
 * their running operations. It receives parsed verbs and checked ids from the
 * {@link OperatorService}; unknown targets and verbs that do not fit a state are answers.
 * <p>
 * Thread-safe: every method may be called from any thread; the verbs themselves are
 * atomic in the hosts.
 *
 * @author Cancellable SOAP
 */
final class HostOperator extends TargetOperator<ServiceHost, HostSummary> {

	private static final String LISTENER = "listener";

	private static final String OPERATION = "operation";

	private static final String CANCELLED = "CANCELLED";

	HostOperator(Supplier<List<ServiceHost>> hosts) {
		super("host", hosts, ServiceHost::name);
	}

	/**
	 * One host with the first of its operations that the given caller's call started.
	 * @param name the host's name
	 * @param limit the most operations listed
	 * @param callerCallId the checked caller's call id the operations must carry
	 * @return the descriptor, whose total counts the matching operations, or 404
	 */
	OperatorAnswer read(String name, int limit, String callerCallId) {
		return find(name)
			.map((host) -> OperatorAnswer.ok(describe(host, limit,
					host.operations().stream().filter((info) -> callerCallId.equals(info.callerCallId())).toList())))
			.orElseGet(() -> OperatorAnswer.notFound("host", name));
	}

	OperatorAnswer readOperation(String operationId) {
		return readHeld(OPERATION, operationId, (host) -> host.operation(operationId).map(OperationDescriptor::of));
	}

	OperatorAnswer act(ServiceHost host, HostAction action, @Nullable String reason, long start) {
		HostState before = host.state();
		ListenerState listenerBefore = host.listenerState();
		String verb = action.word();
		return switch (action) {
			case ABORT -> done(host, verb,
					AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.abortAndReport(reason)), start, reason);
			case CLOSE ->
				transition(host, verb, host::closeAndReport, host::state, "OPEN, FAULTED or CREATED", start, reason);
			case OPEN -> transition(host, verb, host::openAndReport, host::state, "CREATED", start, reason);
			case RESET ->
				(before == HostState.CREATED) ? done(host, verb, VerbResult.unchanged(before.name()), start, reason)
						: transition(host, verb, host::resetAndReport, host::state, "CLOSED or FAULTED", start, reason);
			case ABORT_LISTENER -> {
				boolean changed = AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.abortListener(reason));
				yield OperatorAnswer.done(LISTENER, host.name(), verb,
						new VerbResult(listenerBefore.name(), host.listenerState().name(), changed, false, 0), start,
						reason);
			}
			case RESET_LISTENER -> resetListener(host, verb, before, listenerBefore, start, reason);
		};
	}

	OperatorAnswer cancelOperation(String operationId, @Nullable String reason, long start) {
		for (ServiceHost host : targets()) {
			Optional<OperationInfo> found = host.operation(operationId);
			if (found.isPresent()) {
				String before = found.get().cancellationRequested() ? CANCELLED : "RUNNING";
				boolean changed = AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.cancel(operationId, reason));
				return OperatorAnswer.done(OPERATION, operationId, "cancel",
						new VerbResult(before, changed ? CANCELLED : before, changed, false, changed ? 1 : 0), start,
						reason);
			}
		}
		return OperatorAnswer.notFound(OPERATION, operationId);
	}

	private static OperatorAnswer resetListener(ServiceHost host, String verb, HostState before,
			ListenerState listenerBefore, long start, @Nullable String reason) {
		if (before == HostState.OPEN && listenerBefore == ListenerState.OPEN) {
			return OperatorAnswer.done(LISTENER, host.name(), verb, VerbResult.unchanged(listenerBefore.name()), start,
					reason);
		}
		try {
			host.resetListener();
		}
		catch (IllegalStateException ex) {
			HostState state = host.state();
			ListenerState listenerState = host.listenerState();
			return OperatorAnswer.conflict(
					"Cannot reset-listener of host '" + host.name() + "': the host is " + state + " and its listener "
							+ listenerState + " (needs an OPEN host with a FAULTED listener)",
					"host " + state + ", listener " + listenerState);
		}
		return OperatorAnswer.done(LISTENER, host.name(), verb,
				new VerbResult(listenerBefore.name(), host.listenerState().name(), true, false, 0), start, reason);
	}

	@Override
	HostSummary summarize(ServiceHost host) {
		return new HostSummary(host.name(), host.state().name(), host.listenerState().name(), host.operations().size());
	}

	@Override
	HostDescriptor describe(ServiceHost host, int limit) {
		return describe(host, limit, host.operations());
	}

	private static HostDescriptor describe(ServiceHost host, int limit, List<OperationInfo> operations) {
		return new HostDescriptor(host.name(), host.state().name(), host.listenerState().name(), operations.size(),
				limit, operations.size() > limit, firstOf(operations, limit, OperationDescriptor::of));
	}

}
