package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import io.github.cancellablesoap.benchmarks.Anomalies.BrokenRun;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * The sanity check of {@link ProxyCostBenchmark}: at each payload size, one call that
 * waits for its response is abandoned and one is aborted ({@code abortCall}), and each
 * must release its caller with the right exception (see {@link ReleaseScenarios}). The
 * proxy carries the same listeners as the measured one (meters and observations) and
 * calls a silent {@link LoopbackServer}. Not a measurement: it shows that the verbs still
 * work at every size the benchmark measures.
 * <p>
 * Not thread-safe: driven by the benchmark's main thread.
 */
final class ReleaseSanity implements AutoCloseable {

	private final LoopbackServer server;

	private final CancellationTimer timer = new CancellationTimer("bench-sanity");

	private final DefaultServiceProxy proxy;

	private final ReleaseScenarios scenarios;

	private final ListenerSet listeners;

	ReleaseSanity(ListenerSet listeners) throws IOException {
		this.listeners = listeners;
		this.server = new LoopbackServer(LoopbackServer.Reply.SILENT, "EchoRequest");
		this.server.start();
		this.proxy = listeners.open(ServiceProxyFactory.create(ProxySettings.builder("sanity", this.server.address())
			.callTimeout(Duration.ofSeconds(60))
			.abandonedIoTimeout(Duration.ofSeconds(30))
			.maxPendingCalls(4)
			.build(), new WebServiceTemplate(), this.timer));
		this.scenarios = new ReleaseScenarios(this.proxy, this.server);
	}

	/**
	 * Abandon one waiting call and abort another, with one payload.
	 * @param payload the payload
	 * @param out where to print the outcome
	 */
	void check(Payload payload, PrintStream out) {
		int before = this.scenarios.anomalies().count();
		SyncCaller caller = new SyncCaller("bench-sanity-caller", this.proxy, payload.request());
		try {
			this.scenarios.singleCalls(caller, true, 1, null, null);
			this.scenarios.singleCalls(caller, false, 1, null, null);
		}
		catch (BrokenRun ex) {
			this.scenarios.anomalies().add("sanity check at " + payload.label() + " stopped: " + ex.getMessage());
		}
		finally {
			caller.stop();
		}
		int found = this.scenarios.anomalies().count() - before;
		out.printf(Locale.ROOT, "sanity      %-8s abandon and abortCall of a waiting proxy call (%s): %s%n",
				payload.label(), this.listeners.label(),
				(found == 0) ? "both released their caller" : found + " anomalies");
	}

	Anomalies anomalies() {
		return this.scenarios.anomalies();
	}

	@Override
	public void close() {
		this.proxy.abort("benchmark finished");
		this.timer.shutdown();
		this.server.stop();
	}

}
