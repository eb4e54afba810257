package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import io.github.cancellablesoap.benchmarks.InMemoryTransport;
import io.github.cancellablesoap.benchmarks.ListenerSet;
import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.core.Tokens;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * JMH benchmarks of the pieces of bookkeeping a service proxy adds to each call, one
 * caller: the call id and token, admission into and removal from the {@link CallRegistry}
 * (with the {@link Call} and its deadline, verdict and answer), following the
 * {@link CancellationScope} current on the caller's thread (a server operation's), the
 * listener fan-out of {@link CallNotifier} with the {@link ListenerSet listeners} given
 * as a parameter, and all of it together: a synchronous proxy call whose action neither
 * marshals nor touches the transport.
 * <p>
 * It lives in the product's package {@code io.github.cancellablesoap.client} (a split
 * package on the benchmark's class path) because these types are package-private.
 * {@link io.github.cancellablesoap.benchmarks.CallCostJmh} runs it with the whole-call
 * benchmarks and prints the ratios.
 * <p>
 * Public and not final because JMH's generated code extends it; each state is used by one
 * benchmark thread.
 *
 * @author Cancellable SOAP
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BookkeepingJmh {

	private static final Duration TIMEOUT = ProxySettings.DEFAULT_CALL_TIMEOUT;

	private static final String CALL_ID = "c-jmh";

	/**
	 * A proxy's call environment, one call of it, and an open operation scope with a
	 * deadline.
	 */
	@State(Scope.Thread)
	public static class Parts {

		final Ids ids = new Ids("c");

		CancellationTimer timer;

		CallEnvironment environment;

		Call call;

		CancellationScope<String> scope;

		/**
		 * Build the environment and the scope.
		 */
		@Setup
		public void setUp() {
			this.timer = new CancellationTimer("jmh");
			this.environment = CallEnvironment.of(settings(), Ticker.SYSTEM, this.timer);
			this.call = new Call(this.environment, CALL_ID, TIMEOUT);
			this.scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-jmh")
				.withDeadline(Duration.ofHours(1), "deadline", null, this.timer);
		}

		/**
		 * End the scope, stop the timer.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.scope.end();
			this.timer.shutdown();
		}

	}

	/**
	 * A call environment whose notifier fans out to listeners.
	 */
	@State(Scope.Thread)
	public static class Fanout {

		/** The listeners. */
		@Param({ "NONE", "METERS", "OBSERVATIONS", "BOTH" })
		public ListenerSet listeners;

		CancellationTimer timer;

		CallEnvironment environment;

		Call call;

		/**
		 * Build the environment and install the listeners.
		 */
		@Setup
		public void setUp() {
			this.timer = new CancellationTimer("jmh");
			this.environment = CallEnvironment.of(settings(), Ticker.SYSTEM, this.timer);
			this.environment.notifier().setListener(this.listeners.create());
			this.call = new Call(this.environment, CALL_ID, TIMEOUT);
		}

		/**
		 * Stop the timer.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.timer.shutdown();
		}

	}

	/**
	 * An open proxy whose transport is never used, with listeners.
	 */
	@State(Scope.Thread)
	public static class Proxy {

		/** The proxy's listeners. */
		@Param({ "NONE", "BOTH" })
		public ListenerSet listeners;

		CancellationTimer timer;

		DefaultServiceProxy proxy;

		/**
		 * Build and open the proxy.
		 */
		@Setup
		public void setUp() {
			this.timer = new CancellationTimer("jmh");
			// the calls' actions never use the template, so the transport never answers
			this.proxy = this.listeners.open(new DefaultServiceProxy(settings(), new WebServiceTemplate(),
					new InMemoryTransport(new byte[0]), this.timer, Ticker.SYSTEM));
		}

		/**
		 * Close the proxy, stop the timer.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.proxy.close();
			this.timer.shutdown();
		}

	}

	/**
	 * A new call id.
	 * @param parts the id generator
	 * @return the id
	 */
	@Benchmark
	public String callId(Parts parts) {
		return parts.ids.next();
	}

	/**
	 * A new call token (the secret that authorizes the call's explicit cancel).
	 * @return the token
	 */
	@Benchmark
	public String callToken() {
		return Tokens.next();
	}

	/**
	 * A call created, admitted into the registry (a slot and the map) and removed when
	 * its caller leaves.
	 * @param parts the environment
	 * @return the call
	 */
	@Benchmark
	public Call registry(Parts parts) {
		CallEnvironment environment = parts.environment;
		Call call = environment.registry().admit(CALL_ID, (id) -> new Call(environment, id, TIMEOUT));
		call.callerLeft();
		return call;
	}

	/**
	 * What a call inherits from the operation scope current on its caller's thread: the
	 * earlier deadline, a listener on the scope, and its removal when the call ends.
	 * @param parts the scope and a call
	 * @return what the call inherited
	 */
	@Benchmark
	public CallUpstream scope(Parts parts) {
		CallUpstream upstream = CallUpstream.of(parts.scope, TIMEOUT);
		upstream.follow(parts.call);
		upstream.release();
		return upstream;
	}

	/**
	 * The listener events of one answered call: started (with its trace id), the request
	 * headers, ended.
	 * @param fanout the notifier and a call
	 * @param blackhole consumes the headers
	 */
	@Benchmark
	public void listeners(Fanout fanout, Blackhole blackhole) {
		CallNotifier notifier = fanout.environment.notifier();
		Call call = fanout.call;
		CallNotifier.Listened listened = notifier.started(CALL_ID);
		call.listened(listened);
		Map<String, String> headers = notifier.requestHeaders(listened, CALL_ID);
		blackhole.consume(headers);
		notifier.ended(call, CallOutcome.COMPLETED, null);
	}

	/**
	 * A whole synchronous proxy call whose action returns at once: admission, registry,
	 * listeners, the current call, the outcome and the release, without marshalling and
	 * without I/O.
	 * @param proxy the proxy
	 * @return the action's result
	 */
	@Benchmark
	public Object callWithoutIo(Proxy proxy) {
		return proxy.proxy.invoke((operations) -> CALL_ID);
	}

	private static ProxySettings settings() {
		return ProxySettings.builder("jmh", URI.create("http://127.0.0.1:9/ws")).build();
	}

}
