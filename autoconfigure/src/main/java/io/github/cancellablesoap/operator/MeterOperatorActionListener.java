package io.github.cancellablesoap.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the operator's aborts and cancellations that changed something in
 * {@code soap.aborts}, tagged {@code target} (proxy, call, channel, host, listener or
 * operation), {@code reason=operator} and {@code initiator=operator}.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class MeterOperatorActionListener implements OperatorActionListener {

	private static final String ABORTS = "soap.aborts";

	private static final String OPERATOR = "operator";

	private final MeterRegistry registry;

	public MeterOperatorActionListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void actionTaken(OperatorAction action) {
		ActionResult result = action.actionResult();
		if (result == null || !result.changed() || !isAbort(result.action()) || countedByProxy(result.target())) {
			return;
		}
		Counter.builder(ABORTS)
			.description("Aborts of SOAP proxies, calls, channels, hosts, listeners and operations")
			.tag("target", result.target())
			.tag("reason", OPERATOR)
			.tag("initiator", OPERATOR)
			.register(this.registry)
			.increment();
	}

	/**
	 * Proxies count their own aborts, attributed to the operator through
	 * {@code AbortInitiator}.
	 */
	private static boolean countedByProxy(String target) {
		return target.equals("proxy") || target.equals("call") || target.equals("channel");
	}

	private static boolean isAbort(String verb) {
		return verb.equals("abort") || verb.equals("abort-listener") || verb.equals("cancel");
	}

}
