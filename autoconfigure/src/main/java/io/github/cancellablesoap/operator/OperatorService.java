package io.github.cancellablesoap.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.VerbResult;
import io.github.cancellablesoap.operator.Descriptors.CallDescriptor;
import io.github.cancellablesoap.operator.Descriptors.HostDescriptor;
import io.github.cancellablesoap.operator.Descriptors.HostSummary;
import io.github.cancellablesoap.operator.Descriptors.OperationDescriptor;
import io.github.cancellablesoap.operator.Descriptors.Overview;
import io.github.cancellablesoap.operator.Descriptors.ProxyDescriptor;
import io.github.cancellablesoap.operator.Descriptors.ProxySummary;
import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one service under the {@code soapcalls} actuator endpoint and the abort controller:
 * it lists proxies, calls, hosts and operations, runs the operator verbs, checks who may
 * do what, and reports every write to its {@link OperatorActionListener listeners} and
 * the log. Unknown targets, finished calls and verbs that do not fit a state are answers,
 * never exceptions; no answer carries a stack trace or a class name.
 * <p>
 * Resources are addressed as {@code <collection>/<id>}: {@code proxies/<name>},
 * {@code calls/<call id>}, {@code channels/<channel id>}, {@code hosts/<name>},
 * {@code operations/<operation id>}.
 * <p>
 * Thread-safe: every method may be called from any thread; the verbs themselves are
 * atomic in the proxies and hosts.
 *
 * @author Cancellable SOAP
 */
public class OperatorService {

	/** How many calls or operations a listing holds unless the request says otherwise. */
	public static final int DEFAULT_LIMIT = 100;

	/** The most calls or operations a listing may hold. */
	public static final int MAX_LIMIT = 1000;

	/** The longest reason kept; longer ones are cut. */
	public static final int MAX_REASON_LENGTH = 200;

	private static final Log logger = LogFactory.getLog(OperatorService.class);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

	private static final Ids CALL_IDS = new Ids("c");

	private static final Ids CHANNEL_IDS = new Ids("ch");

	private static final Ids OPERATION_IDS = new Ids("o");

	private static final String PROXIES = "proxies";

	private static final String HOSTS = "hosts";

	private static final String CALLS = "calls";

	private static final String CHANNELS = "channels";

	private static final String OPERATIONS = "operations";

	private static final String CANCELLED = "CANCELLED";

	private final Supplier<List<ServiceProxy>> proxies;

	private final Supplier<List<ServiceHost>> hosts;

	private final OperatorAuthorizer authorizer;

	private final List<OperatorActionListener> listeners;

	/**
	 * Create the service.
	 * @param proxies the proxies to act on
	 * @param hosts the hosts to act on
	 * @param authorizer who may read and act
	 * @param listeners told about every write
	 */
	public OperatorService(Supplier<List<ServiceProxy>> proxies, Supplier<List<ServiceHost>> hosts,
			OperatorAuthorizer authorizer, List<OperatorActionListener> listeners) {
		this.proxies = proxies;
		this.hosts = hosts;
		this.authorizer = authorizer;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Every proxy and host with its state and counts.
	 * @return the {@link Overview}, or a refusal
	 */
	public OperatorAnswer overview() {
		OperatorAnswer denied = denied(false);
		if (denied != null) {
			return denied;
		}
		List<ProxySummary> proxySummaries = new ArrayList<>();
		for (ServiceProxy proxy : this.proxies.get()) {
			proxySummaries.add(new ProxySummary(proxy.name(), proxy.address().toString(), proxy.state().name(),
					proxy.pendingCalls(), proxy.abandonedCalls()));
		}
		List<HostSummary> hostSummaries = new ArrayList<>();
		for (ServiceHost host : this.hosts.get()) {
			hostSummaries.add(new HostSummary(host.name(), host.state().name(), host.listenerState().name(),
					host.operations().size()));
		}
		return OperatorAnswer.ok(new Overview(List.copyOf(proxySummaries), List.copyOf(hostSummaries)));
	}

	/**
	 * Read one resource: a proxy with its calls, a call, a host with its operations, or
	 * an operation.
	 * @param collection {@code proxies}, {@code calls}, {@code hosts} or
	 * {@code operations}
	 * @param id the name or id
	 * @param limit the most calls or operations to list, 1 to {@value #MAX_LIMIT}, or
	 * {@code null} for {@value #DEFAULT_LIMIT}
	 * @return the descriptor, or a refusal
	 */
	public OperatorAnswer read(String collection, String id, @Nullable Integer limit) {
		OperatorAnswer denied = denied(false);
		if (denied != null) {
			return denied;
		}
		if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
			return OperatorAnswer.error(Status.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
		}
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		return switch (collection) {
			case PROXIES -> findProxy(id).map((proxy) -> OperatorAnswer.ok(describe(proxy, max)))
				.orElseGet(() -> notFound("proxy", id));
			case HOSTS -> findHost(id).map((host) -> OperatorAnswer.ok(describe(host, max)))
				.orElseGet(() -> notFound("host", id));
			case CALLS -> readCall(id);
			case OPERATIONS -> readOperation(id);
			case CHANNELS -> methodNotAllowed("GET", collection);
			default -> unknownCollection(collection);
		};
	}

	/**
	 * Run a verb on a proxy ({@code abort}, {@code close}, {@code open}, {@code reset},
	 * {@code abandon-all}), a host ({@code abort}, {@code close}, {@code open},
	 * {@code reset}, {@code abort-listener}, {@code reset-listener}) or a channel
	 * ({@code abort}).
	 * @param collection {@code proxies}, {@code hosts} or {@code channels}
	 * @param id the name or channel id
	 * @param action the verb
	 * @param reason why, or {@code null}; control characters are removed and it is cut to
	 * {@value #MAX_REASON_LENGTH} characters
	 * @return the {@link ActionResult}, or a refusal
	 */
	public OperatorAnswer act(String collection, String id, @Nullable String action, @Nullable String reason) {
		long start = System.nanoTime();
		String cleanReason = sanitize(reason, MAX_REASON_LENGTH);
		String verb = (action != null) ? action.trim().toLowerCase(Locale.ROOT) : "";
		OperatorAnswer answer = denied(true);
		if (answer == null) {
			answer = switch (collection) {
				case PROXIES -> actOnProxy(id, verb, cleanReason, start);
				case HOSTS -> actOnHost(id, verb, cleanReason, start);
				case CHANNELS -> actOnChannel(id, verb, cleanReason, start);
				case CALLS, OPERATIONS -> methodNotAllowed("POST", collection);
				default -> unknownCollection(collection);
			};
		}
		return audited(verb, collection, id, cleanReason, answer);
	}

	/**
	 * End one call ({@code calls}: abandon, the default, or abort its channel) or cancel
	 * one operation ({@code operations}, cancel reason OPERATOR).
	 * @param collection {@code calls} or {@code operations}
	 * @param id the call or operation id
	 * @param mode for calls, {@code abandon} or {@code abort}; {@code null} means abandon
	 * @param reason why, or {@code null}
	 * @return the {@link ActionResult}, or a refusal
	 */
	public OperatorAnswer remove(String collection, String id, @Nullable String mode, @Nullable String reason) {
		long start = System.nanoTime();
		String cleanReason = sanitize(reason, MAX_REASON_LENGTH);
		String verb = switch (collection) {
			case CALLS -> (mode != null) ? mode.trim().toLowerCase(Locale.ROOT) : "abandon";
			case OPERATIONS -> "cancel";
			default -> "delete";
		};
		OperatorAnswer answer = denied(true);
		if (answer == null) {
			answer = switch (collection) {
				case CALLS -> removeCall(id, verb, cleanReason, start);
				case OPERATIONS -> cancelOperation(id, cleanReason, start);
				case PROXIES, HOSTS, CHANNELS -> methodNotAllowed("DELETE", collection);
				default -> unknownCollection(collection);
			};
		}
		return audited(verb, collection, id, cleanReason, answer);
	}

	private OperatorAnswer actOnProxy(String name, String verb, @Nullable String reason, long start) {
		Optional<ServiceProxy> found = findProxy(name);
		if (found.isEmpty()) {
			return notFound("proxy", name);
		}
		ServiceProxy proxy = found.get();
		ProxyState before = proxy.state();
		switch (verb) {
			case "abort" -> {
				VerbResult result = AbortInitiator.as(AbortInitiator.OPERATOR, () -> proxy.abortAndReport(reason));
				return done("proxy", proxy.name(), verb, result, start, reason);
			}
			case "abandon-all" -> {
				int count = proxy.abandonAll();
				return done("proxy", proxy.name(), verb, before.name(), before.name(), count > 0, false, count, start,
						reason);
			}
			case "close" -> {
				try {
					return done("proxy", proxy.name(), verb, proxy.closeAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return proxyConflict(proxy, verb, proxy.state(), "OPEN, FAULTED or CREATED");
				}
			}
			case "open" -> {
				try {
					return done("proxy", proxy.name(), verb, proxy.openAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return proxyConflict(proxy, verb, proxy.state(), "CREATED");
				}
			}
			case "reset" -> {
				if (before == ProxyState.CREATED) {
					return unchanged("proxy", proxy.name(), verb, before.name(), start, reason);
				}
				try {
					return done("proxy", proxy.name(), verb, proxy.resetAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return proxyConflict(proxy, verb, proxy.state(), "CLOSED or FAULTED");
				}
			}
			default -> {
				return unknownAction(verb, "abort, close, open, reset, abandon-all");
			}
		}
	}

	private OperatorAnswer actOnHost(String name, String verb, @Nullable String reason, long start) {
		Optional<ServiceHost> found = findHost(name);
		if (found.isEmpty()) {
			return notFound("host", name);
		}
		ServiceHost host = found.get();
		HostState before = host.state();
		ListenerState listenerBefore = host.listenerState();
		switch (verb) {
			case "abort" -> {
				VerbResult result = AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.abortAndReport(reason));
				return done("host", host.name(), verb, result, start, reason);
			}
			case "close" -> {
				try {
					return done("host", host.name(), verb, host.closeAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return hostConflict(host, verb, host.state().name(), "OPEN, FAULTED or CREATED");
				}
			}
			case "open" -> {
				try {
					return done("host", host.name(), verb, host.openAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return hostConflict(host, verb, host.state().name(), "CREATED");
				}
			}
			case "reset" -> {
				if (before == HostState.CREATED) {
					return unchanged("host", host.name(), verb, before.name(), start, reason);
				}
				try {
					return done("host", host.name(), verb, host.resetAndReport(), start, reason);
				}
				catch (IllegalStateException ex) {
					return hostConflict(host, verb, host.state().name(), "CLOSED or FAULTED");
				}
			}
			case "abort-listener" -> {
				boolean changed = AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.abortListener(reason));
				return done("listener", host.name(), verb, listenerBefore.name(), host.listenerState().name(), changed,
						false, 0, start, reason);
			}
			case "reset-listener" -> {
				if (before == HostState.OPEN && listenerBefore == ListenerState.OPEN) {
					return unchanged("listener", host.name(), verb, listenerBefore.name(), start, reason);
				}
				try {
					host.resetListener();
				}
				catch (IllegalStateException ex) {
					String state = "host " + host.state() + ", listener " + host.listenerState();
					return OperatorAnswer.conflict("Cannot reset-listener of host '" + host.name() + "': the host is "
							+ host.state() + " and its listener " + host.listenerState()
							+ " (needs an OPEN host with a FAULTED listener)", state);
				}
				return done("listener", host.name(), verb, listenerBefore.name(), host.listenerState().name(), true,
						false, 0, start, reason);
			}
			default -> {
				return unknownAction(verb, "abort, close, open, reset, abort-listener, reset-listener");
			}
		}
	}

	private OperatorAnswer actOnChannel(String channelId, String verb, @Nullable String reason, long start) {
		if (!CHANNEL_IDS.isWellFormed(channelId)) {
			return badId("channel", "ch-");
		}
		if (!verb.equals("abort")) {
			return unknownAction(verb, "abort");
		}
		for (ServiceProxy proxy : this.proxies.get()) {
			for (CallInfo call : proxy.calls()) {
				if (channelId.equals(call.channelId())) {
					Optional<VerbResult> result = AbortInitiator.as(AbortInitiator.OPERATOR,
							() -> proxy.abortChannelAndReport(channelId, reason));
					if (result.isEmpty()) {
						return notFound("channel", channelId);
					}
					return done("channel", channelId, verb, result.get(), start, reason);
				}
			}
		}
		return notFound("channel", channelId);
	}

	private OperatorAnswer removeCall(String callId, String mode, @Nullable String reason, long start) {
		if (!mode.equals("abandon") && !mode.equals("abort")) {
			return OperatorAnswer.error(Status.BAD_REQUEST,
					"Unknown mode '" + clean(mode, 40) + "'; use abandon or abort");
		}
		if (!CALL_IDS.isWellFormed(callId)) {
			return badId("call", "c-");
		}
		for (ServiceProxy proxy : this.proxies.get()) {
			if (proxy.call(callId).isPresent()) {
				Optional<VerbResult> result = mode.equals("abandon") ? proxy.abandonAndReport(callId)
						: AbortInitiator.as(AbortInitiator.OPERATOR, () -> proxy.abortCallAndReport(callId, reason));
				if (result.isEmpty()) {
					return notFound("call", callId);
				}
				return done("call", callId, mode, result.get(), start, reason);
			}
		}
		return notFound("call", callId);
	}

	private OperatorAnswer cancelOperation(String operationId, @Nullable String reason, long start) {
		if (!OPERATION_IDS.isWellFormed(operationId)) {
			return badId("operation", "o-");
		}
		for (ServiceHost host : this.hosts.get()) {
			Optional<OperationInfo> found = host.operation(operationId);
			if (found.isPresent()) {
				String before = operationState(found.get());
				boolean changed = AbortInitiator.as(AbortInitiator.OPERATOR, () -> host.cancel(operationId, reason));
				String after = changed ? CANCELLED : before;
				return done("operation", operationId, "cancel", before, after, changed, false, changed ? 1 : 0, start,
						reason);
			}
		}
		return notFound("operation", operationId);
	}

	private OperatorAnswer readCall(String callId) {
		if (!CALL_IDS.isWellFormed(callId)) {
			return badId("call", "c-");
		}
		for (ServiceProxy proxy : this.proxies.get()) {
			Optional<CallInfo> call = proxy.call(callId);
			if (call.isPresent()) {
				return OperatorAnswer.ok(CallDescriptor.of(call.get()));
			}
		}
		return notFound("call", callId);
	}

	private OperatorAnswer readOperation(String operationId) {
		if (!OPERATION_IDS.isWellFormed(operationId)) {
			return badId("operation", "o-");
		}
		for (ServiceHost host : this.hosts.get()) {
			Optional<OperationInfo> operation = host.operation(operationId);
			if (operation.isPresent()) {
				return OperatorAnswer.ok(OperationDescriptor.of(operation.get()));
			}
		}
		return notFound("operation", operationId);
	}

	private static ProxyDescriptor describe(ServiceProxy proxy, int limit) {
		List<CallInfo> calls = proxy.calls();
		List<CallDescriptor> listed = new ArrayList<>(Math.min(limit, calls.size()));
		for (int i = 0; i < calls.size() && i < limit; i++) {
			listed.add(CallDescriptor.of(calls.get(i)));
		}
		return new ProxyDescriptor(proxy.name(), proxy.address().toString(), proxy.state().name(), proxy.pendingCalls(),
				proxy.abandonedCalls(), calls.size(), limit, calls.size() > limit, List.copyOf(listed));
	}

	private static HostDescriptor describe(ServiceHost host, int limit) {
		List<OperationInfo> operations = host.operations();
		List<OperationDescriptor> listed = new ArrayList<>(Math.min(limit, operations.size()));
		for (int i = 0; i < operations.size() && i < limit; i++) {
			listed.add(OperationDescriptor.of(operations.get(i)));
		}
		return new HostDescriptor(host.name(), host.state().name(), host.listenerState().name(), operations.size(),
				limit, operations.size() > limit, List.copyOf(listed));
	}

	private Optional<ServiceProxy> findProxy(String name) {
		if (!NAME.matcher(name).matches()) {
			return Optional.empty();
		}
		return this.proxies.get().stream().filter((proxy) -> proxy.name().equals(name)).findFirst();
	}

	private Optional<ServiceHost> findHost(String name) {
		if (!NAME.matcher(name).matches()) {
			return Optional.empty();
		}
		return this.hosts.get().stream().filter((host) -> host.name().equals(name)).findFirst();
	}

	private static String operationState(OperationInfo operation) {
		return operation.cancellationRequested() ? CANCELLED : "RUNNING";
	}

	private @Nullable OperatorAnswer denied(boolean write) {
		return switch (this.authorizer.authorize(write)) {
			case ALLOWED -> null;
			case UNAUTHENTICATED -> OperatorAnswer.error(Status.UNAUTHORIZED, "Authentication is required");
			case FORBIDDEN -> OperatorAnswer.error(Status.FORBIDDEN, "Operator verbs need the operator role");
		};
	}

	private OperatorAnswer audited(String verb, String collection, String id, @Nullable String reason,
			OperatorAnswer answer) {
		OperatorAction action = new OperatorAction(this.authorizer.principal(), clean(verb, 40),
				clean(collection, 40) + ":" + clean(id, 100), reason, answer);
		log(action);
		for (OperatorActionListener listener : this.listeners) {
			try {
				listener.actionTaken(action);
			}
			catch (RuntimeException ex) {
				logger.warn("Operator action listener failed", ex);
			}
		}
		return answer;
	}

	private static void log(OperatorAction action) {
		ActionResult result = action.actionResult();
		StringBuilder line = new StringBuilder("Operator action principal=").append(action.principal())
			.append(" verb=")
			.append(action.verb())
			.append(" target=")
			.append(action.target())
			.append(" status=")
			.append(action.answer().status().httpStatus())
			.append(" result=\"")
			.append(action.result())
			.append('"');
		if (result != null) {
			line.append(" previousState=")
				.append(result.previousState())
				.append(" newState=")
				.append(result.newState())
				.append(" ioCancelled=")
				.append(result.ioCancelled())
				.append(" affected=")
				.append(result.affected())
				.append(" elapsedMs=")
				.append(result.elapsedMillis());
		}
		if (action.reason() != null) {
			line.append(" reason=\"").append(action.reason().replace('"', '\'')).append('"');
		}
		if (action.answer().isOk()) {
			logger.info(line);
		}
		else {
			logger.warn(line);
		}
	}

	private static OperatorAnswer done(String target, String name, String verb, String before, String after,
			boolean changed, boolean io, int affected, long start, @Nullable String reason) {
		long elapsed = (System.nanoTime() - start) / 1_000_000;
		return OperatorAnswer.ok(new ActionResult(target, name, verb, before, after,
				changed ? ActionResult.CHANGED : ActionResult.NO_CHANGE, io, affected, elapsed, reason));
	}

	private static OperatorAnswer done(String target, String name, String verb, VerbResult result, long start,
			@Nullable String reason) {
		return done(target, name, verb, result.previousState(), result.newState(), result.changed(),
				result.ioCancelled(), result.affected(), start, reason);
	}

	private static OperatorAnswer unchanged(String target, String name, String verb, String state, long start,
			@Nullable String reason) {
		return done(target, name, verb, state, state, false, false, 0, start, reason);
	}

	private static OperatorAnswer proxyConflict(ServiceProxy proxy, String verb, ProxyState state, String needs) {
		return OperatorAnswer.conflict(
				"Cannot " + verb + " proxy '" + proxy.name() + "': it is " + state + " (needs " + needs + ")",
				state.name());
	}

	private static OperatorAnswer hostConflict(ServiceHost host, String verb, String state, String needs) {
		return OperatorAnswer.conflict(
				"Cannot " + verb + " host '" + host.name() + "': it is " + state + " (needs " + needs + ")", state);
	}

	private static OperatorAnswer notFound(String kind, String id) {
		String shown = NAME.matcher(id).matches() ? " '" + id + "'" : "";
		return OperatorAnswer.error(Status.NOT_FOUND, "No " + kind + shown + " is known or in flight");
	}

	private static OperatorAnswer badId(String kind, String prefix) {
		return OperatorAnswer.error(Status.BAD_REQUEST,
				"Malformed " + kind + " id; " + kind + " ids look like " + prefix + "1a2b");
	}

	private static OperatorAnswer unknownAction(String verb, String allowed) {
		String shown = verb.isEmpty() ? "Missing action" : "Unknown action '" + clean(verb, 40) + "'";
		return OperatorAnswer.error(Status.BAD_REQUEST, shown + "; use one of: " + allowed);
	}

	private static OperatorAnswer methodNotAllowed(String method, String collection) {
		return OperatorAnswer.error(Status.METHOD_NOT_ALLOWED, method + " is not supported on " + collection);
	}

	private static OperatorAnswer unknownCollection(String collection) {
		String shown = NAME.matcher(collection).matches() ? " '" + collection + "'" : "";
		return OperatorAnswer.error(Status.NOT_FOUND,
				"No collection" + shown + "; use proxies, calls, channels, hosts or operations");
	}

	private static String clean(String text, int maxLength) {
		String clean = sanitize(text, maxLength);
		return (clean != null) ? clean : "";
	}

	/**
	 * Make untrusted text safe for responses, logs and audit: control characters, line
	 * and paragraph separators (U+2028, U+2029), format characters (bidi controls,
	 * zero-width characters) and unpaired surrogates removed, surrounding blanks trimmed,
	 * cut to a length.
	 * @param text the text, or {@code null}
	 * @param maxLength the most characters kept
	 * @return the cleaned text, or {@code null} when nothing is left
	 */
	static @Nullable String sanitize(@Nullable String text, int maxLength) {
		if (text == null) {
			return null;
		}
		StringBuilder clean = new StringBuilder(Math.min(text.length(), maxLength));
		int i = 0;
		while (i < text.length() && clean.length() < maxLength) {
			int codePoint = text.codePointAt(i);
			int length = Character.charCount(codePoint);
			if (isSafe(codePoint) && clean.length() + length <= maxLength) {
				clean.appendCodePoint(codePoint);
			}
			i += length;
		}
		String trimmed = clean.toString().strip();
		return trimmed.isEmpty() ? null : trimmed;
	}

	private static boolean isSafe(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
					Character.SURROGATE ->
				false;
			default -> true;
		};
	}

}
