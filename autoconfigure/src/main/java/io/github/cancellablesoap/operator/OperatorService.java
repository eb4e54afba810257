package io.github.cancellablesoap.operator;

import java.util.List;
import java.util.function.Supplier;

import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.operator.Descriptors.Overview;
import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import io.github.cancellablesoap.server.ServiceHost;
import org.jspecify.annotations.Nullable;

/**
 * The one service under the {@code soapcalls} actuator endpoint and the abort controller:
 * it lists proxies, calls, hosts and operations and runs the operator verbs on them.
 * Unknown targets, finished calls and verbs that do not fit a state are answers, never
 * exceptions; no answer carries a stack trace or a class name.
 * <p>
 * A thin facade: it parses what the edges send (collections, verbs and modes into their
 * enums, ids into checked ids, reasons into clean text) and hands the request to the
 * {@link ProxyOperator} (proxies, calls, channels) or the {@link HostOperator} (hosts,
 * operations), inside the {@link OperatorAudit}, which authorises, and logs and reports
 * every write to its {@link OperatorActionListener listeners}.
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
	public static final int MAX_LIMIT = 10_000;

	/** The longest reason kept; longer ones are cut. */
	public static final int MAX_REASON_LENGTH = OperatorInput.MAX_REASON_LENGTH;

	private final ProxyOperator proxies;

	private final HostOperator hosts;

	private final OperatorAudit audit;

	/**
	 * Create the service.
	 * @param proxies the proxies to act on
	 * @param hosts the hosts to act on
	 * @param authorizer who may read and act
	 * @param listeners told about every write
	 */
	public OperatorService(Supplier<List<ServiceProxy>> proxies, Supplier<List<ServiceHost>> hosts,
			OperatorAuthorizer authorizer, List<OperatorActionListener> listeners) {
		this.proxies = new ProxyOperator(proxies);
		this.hosts = new HostOperator(hosts);
		this.audit = new OperatorAudit(authorizer, listeners);
	}

	/**
	 * Every proxy and host with its state and counts.
	 * @return the {@link Overview}, or a refusal
	 */
	public OperatorAnswer overview() {
		return this.audit.read(() -> OperatorAnswer.ok(new Overview(this.proxies.summaries(), this.hosts.summaries())));
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
		return read(collection, id, limit, null);
	}

	/**
	 * Read one resource, as {@link #read(String, String, Integer)} does, a host's
	 * operations filtered by the call id their callers sent: how an operator finds the
	 * operation that serves a client call.
	 * @param collection {@code proxies}, {@code calls}, {@code hosts} or
	 * {@code operations}
	 * @param id the name or id
	 * @param limit the most calls or operations to list, 1 to {@value #MAX_LIMIT}, or
	 * {@code null} for {@value #DEFAULT_LIMIT}
	 * @param callerCallId for {@code hosts} only: list only the operations whose caller
	 * sent this call id ({@code Soap-Call-Id}), or {@code null} for all; a value that is
	 * no caller's call id, or one given for another collection, is a 400
	 * @return the descriptor, or a refusal
	 */
	public OperatorAnswer read(String collection, String id, @Nullable Integer limit, @Nullable String callerCallId) {
		return this.audit.read(() -> {
			int max = limit(limit);
			OperatorCollection target = OperatorCollection.from(collection);
			if (callerCallId != null && target != OperatorCollection.HOSTS) {
				throw new OperatorRequestException(Status.BAD_REQUEST,
						"callerCallId filters the operations of a host; use it with hosts/{name}");
			}
			return switch (target) {
				case PROXIES -> this.proxies.read(id, max);
				case HOSTS -> (callerCallId != null)
						? this.hosts.read(id, max, OperatorInput.callerCallId(callerCallId)) : this.hosts.read(id, max);
				case CALLS -> this.proxies.readCall(OperatorInput.callId(id));
				case OPERATIONS -> this.hosts.readOperation(OperatorInput.operationId(id));
				case CHANNELS -> OperatorAnswer.methodNotAllowed("GET", target);
			};
		});
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
		String cleanReason = OperatorInput.reason(reason);
		return this.audit.write(OperatorInput.word(action), collection, id, cleanReason, () -> {
			OperatorCollection target = OperatorCollection.from(collection);
			return switch (target) {
				case PROXIES -> this.proxies.find(id)
					.map((proxy) -> this.proxies.act(proxy, ProxyAction.from(action), cleanReason, start))
					.orElseGet(() -> OperatorAnswer.notFound("proxy", id));
				case HOSTS -> this.hosts.find(id)
					.map((host) -> this.hosts.act(host, HostAction.from(action), cleanReason, start))
					.orElseGet(() -> OperatorAnswer.notFound("host", id));
				case CHANNELS -> {
					String channelId = OperatorInput.channelId(id);
					yield this.proxies.abortChannel(channelId, ChannelAction.from(action), cleanReason, start);
				}
				case CALLS, OPERATIONS -> OperatorAnswer.methodNotAllowed("POST", target);
			};
		});
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
		String cleanReason = OperatorInput.reason(reason);
		return this.audit.write(removalVerb(collection, mode), collection, id, cleanReason, () -> {
			OperatorCollection target = OperatorCollection.from(collection);
			return switch (target) {
				case CALLS -> {
					CallRemoval removal = CallRemoval.from(mode);
					yield this.proxies.removeCall(OperatorInput.callId(id), removal, cleanReason, start);
				}
				case OPERATIONS -> this.hosts.cancelOperation(OperatorInput.operationId(id), cleanReason, start);
				case PROXIES, HOSTS, CHANNELS -> OperatorAnswer.methodNotAllowed("DELETE", target);
			};
		});
	}

	/**
	 * The verb a DELETE is audited as: the mode for calls (even an unknown one), cancel
	 * for operations.
	 */
	private static String removalVerb(String collection, @Nullable String mode) {
		OperatorCollection target = OperatorCollection.find(collection);
		if (target == OperatorCollection.CALLS) {
			return (mode != null) ? OperatorInput.word(mode) : CallRemoval.ABANDON.word();
		}
		return (target == OperatorCollection.OPERATIONS) ? "cancel" : "delete";
	}

	private static int limit(@Nullable Integer limit) {
		if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
			throw new OperatorRequestException(Status.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
		}
		return (limit != null) ? limit : DEFAULT_LIMIT;
	}

}
