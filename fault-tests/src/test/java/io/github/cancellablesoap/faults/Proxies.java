package io.github.cancellablesoap.faults;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JUnit 5 extension that builds service proxies in the test JVM (with
 * {@link ServiceProxyFactory}, as an application without the auto-configuration does) and
 * calls the sample's quotes service through them on threads of its own; after each test
 * it aborts and closes its proxies and stops its threads. Register it on an instance
 * field with {@code @RegisterExtension}.
 * <p>
 * Not thread-safe: build proxies from the test's thread.
 */
final class Proxies implements AfterEachCallback {

	static final String NAMESPACE = "urn:io.github.cancellablesoap:sample:quotes";

	private final CancellationTimer timer = new CancellationTimer("faults");

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final List<ServiceProxy> proxies = new ArrayList<>();

	private final Map<String, CallOutcome> outcomes = new ConcurrentHashMap<>();

	private final CallListener recorder = new CallListener() {

		@Override
		public void callEnded(EndedCall call, @Nullable Object state) {
			Proxies.this.outcomes.put(call.callId(), call.outcome());
		}

	};

	/**
	 * An open proxy.
	 * @param address the service's address
	 * @param settings changes to the default settings
	 * @return the proxy
	 */
	DefaultServiceProxy open(URI address, UnaryOperator<ProxySettings.Builder> settings) {
		DefaultServiceProxy proxy = ServiceProxyFactory.create(
				settings.apply(ProxySettings.builder("faults", address).connectTimeout(Duration.ofSeconds(5))).build(),
				new WebServiceTemplate(), this.timer);
		proxy.setCallListener(this.recorder);
		this.proxies.add(proxy);
		proxy.open();
		return proxy;
	}

	/**
	 * The outcome of a call whose caller was released (its proxy's listener heard it
	 * before the caller was released).
	 * @param call the call
	 * @return the outcome
	 */
	CallOutcome outcome(PendingCall<?> call) {
		CallOutcome outcome = this.outcomes.get(call.callId());
		assertThat(outcome).as("the outcome of call %s", call.callId()).isNotNull();
		return outcome;
	}

	/**
	 * Start a {@code GetReport} call on a thread of this extension's.
	 * @param proxy the proxy
	 * @param delayMs how long the report takes
	 * @return the pending call
	 */
	PendingCall<String> report(ServiceProxy proxy, long delayMs) {
		return proxy.submit((operations) -> send(operations, "<q:GetReportRequest xmlns:q=\"" + NAMESPACE
				+ "\"><q:delayMs>" + delayMs + "</q:delayMs></q:GetReportRequest>"), this.callers);
	}

	/**
	 * Start a long {@code GetReport} call and wait until the sample's host runs it.
	 * @param proxy the proxy
	 * @param hostPort the port the sample's host listens on (published)
	 * @return the pending call
	 */
	PendingCall<String> runningReport(ServiceProxy proxy, int hostPort) {
		PendingCall<String> call = report(proxy, 60_000);
		awaitPhase(proxy, call, CallPhase.WAITING_FOR_RESPONSE);
		await().atMost(Duration.ofSeconds(10)).until(() -> !SampleHost.operations(hostPort, call.callId()).isEmpty());
		return call;
	}

	/**
	 * Start a call whose request is the given payload.
	 * @param proxy the proxy
	 * @param payload the payload
	 * @return the pending call
	 */
	PendingCall<String> call(ServiceProxy proxy, String payload) {
		return proxy.submit((operations) -> send(operations, payload), this.callers);
	}

	/**
	 * A quick {@code GetQuote} call, on the test's thread.
	 * @param proxy the proxy
	 * @return the response
	 */
	static String quote(ServiceProxy proxy) {
		return send(proxy,
				"<q:GetQuoteRequest xmlns:q=\"" + NAMESPACE + "\"><q:symbol>ACME</q:symbol></q:GetQuoteRequest>");
	}

	/**
	 * Wait until a call reached a phase (five seconds at most).
	 * @param proxy the proxy
	 * @param call the call
	 * @param phase the phase
	 */
	static void awaitPhase(ServiceProxy proxy, PendingCall<?> call, CallPhase phase) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> proxy.call(call.callId()).map((info) -> info.phase() == phase).orElse(false));
	}

	private static String send(WebServiceOperations operations, String payload) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(payload), result);
		return result.toString();
	}

	@Override
	public void afterEach(ExtensionContext context) throws InterruptedException {
		try {
			for (ServiceProxy proxy : this.proxies) {
				proxy.abort("fault test over");
				proxy.close();
			}
		}
		finally {
			this.callers.shutdownNow();
			this.callers.awaitTermination(10, TimeUnit.SECONDS);
			this.timer.shutdown();
		}
	}

}
