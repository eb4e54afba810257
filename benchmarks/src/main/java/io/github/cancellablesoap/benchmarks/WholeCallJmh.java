package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.net.URI;
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

import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ProxyTransport;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * JMH benchmarks of whole calls, one caller: a service proxy next to a plain
 * {@link WebServiceTemplate}, once over a transport that answers in memory
 * ({@link InMemoryTransport}: marshalling, unmarshalling and what the proxy adds, no
 * socket) with the 0.5 KB {@link Payload}, and once against the {@link LoopbackServer}
 * (the proxy over its real HttpClient 5 transport, the template as {@link PlainClient
 * Boot configures it}) with the 0.5 KB and the 10 KB payloads. The proxies carry the
 * {@link ListenerSet listeners} given as a parameter. {@link CallCostJmh} runs them and
 * prints the ratios.
 * <p>
 * Public and not final because JMH's generated code extends it; each state is used by one
 * benchmark thread.
 *
 * @author Cancellable SOAP
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WholeCallJmh {

	static final Payload PAYLOAD = Payload.ofSize(512);

	/**
	 * A plain template over the in-memory connection.
	 */
	@State(Scope.Thread)
	public static class PlainInMemory {

		WebServiceTemplate template;

		/**
		 * Build the template and check one call.
		 */
		@Setup
		public void setUp() {
			this.template = new WebServiceTemplate();
			this.template.setMessageSender(InMemoryTransport.plainSender(InMemoryTransport.echoOf(PAYLOAD)));
			this.template.setDefaultUri("http://in-memory/ws");
			verifiedCall(this.template, PAYLOAD);
		}

	}

	/**
	 * A proxy over the in-memory transport, with listeners.
	 */
	@State(Scope.Thread)
	public static class ProxyInMemory {

		/** The proxy's listeners. */
		@Param({ "NONE", "METERS", "OBSERVATIONS", "BOTH" })
		public ListenerSet listeners;

		DefaultServiceProxy proxy;

		private CancellationTimer timer;

		/**
		 * Build and open the proxy and check one call.
		 */
		@Setup
		public void setUp() {
			this.timer = new CancellationTimer("jmh");
			this.proxy = proxy(URI.create("http://in-memory/ws"),
					new InMemoryTransport(InMemoryTransport.echoOf(PAYLOAD)), this.timer, this.listeners);
			verifiedCall(this.proxy, PAYLOAD);
		}

		/**
		 * Check one more call, close the proxy.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			finish(this.proxy, this.timer, PAYLOAD);
		}

	}

	/**
	 * A plain template as Boot configures it, and its loopback server.
	 */
	@State(Scope.Thread)
	public static class PlainLoopback {

		/** The payload's size in bytes (at least). */
		@Param({ "512", "10240" })
		public int payloadBytes;

		Payload payload;

		PlainClient client;

		private LoopbackServer server;

		/**
		 * Start the server, build the client, check one call.
		 * @throws IOException if the server cannot bind
		 */
		@Setup
		public void setUp() throws IOException {
			this.server = new LoopbackServer(LoopbackServer.Reply.ANSWER, "EchoRequest");
			this.server.start();
			this.client = PlainClient.of(this.server.address(), 4);
			this.payload = Payload.ofSize(this.payloadBytes);
			verifiedCall(this.client.template(), this.payload);
		}

		/**
		 * Check one more call, close the client and stop the server.
		 * @throws IOException if closing failed
		 */
		@TearDown(Level.Trial)
		public void tearDown() throws IOException {
			verifiedCall(this.client.template(), this.payload);
			this.client.close();
			this.server.stop();
		}

	}

	/**
	 * A proxy over its HttpClient 5 transport, with listeners, and its loopback server.
	 */
	@State(Scope.Thread)
	public static class ProxyLoopback {

		/** The payload's size in bytes (at least). */
		@Param({ "512", "10240" })
		public int payloadBytes;

		Payload payload;

		/** The proxy's listeners. */
		@Param({ "NONE", "BOTH" })
		public ListenerSet listeners;

		DefaultServiceProxy proxy;

		private CancellationTimer timer;

		private LoopbackServer server;

		/**
		 * Start the server, build and open the proxy, check one call.
		 * @throws IOException if the server cannot bind
		 */
		@Setup
		public void setUp() throws IOException {
			this.server = new LoopbackServer(LoopbackServer.Reply.ANSWER, "EchoRequest");
			this.server.start();
			this.timer = new CancellationTimer("jmh");
			ProxySettings settings = ProxySettings.builder("jmh", this.server.address()).maxPendingCalls(4).build();
			this.proxy = this.listeners
				.open(ServiceProxyFactory.create(settings, new WebServiceTemplate(), this.timer));
			this.payload = Payload.ofSize(this.payloadBytes);
			verifiedCall(this.proxy, this.payload);
		}

		/**
		 * Check one more call, close the proxy and stop the server.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			finish(this.proxy, this.timer, this.payload);
			this.server.stop();
		}

	}

	/**
	 * A plain template call, in memory.
	 * @param state the template
	 * @return the response, for JMH to consume
	 */
	@Benchmark
	public String plainInMemory(PlainInMemory state) {
		return call(state.template, PAYLOAD);
	}

	/**
	 * A proxy call, in memory.
	 * @param state the proxy
	 * @return the response, for JMH to consume
	 */
	@Benchmark
	public String proxyInMemory(ProxyInMemory state) {
		return call(state.proxy, PAYLOAD);
	}

	/**
	 * A plain template call to the loopback server.
	 * @param state the template
	 * @return the response, for JMH to consume
	 */
	@Benchmark
	public String plainLoopback(PlainLoopback state) {
		return call(state.client.template(), state.payload);
	}

	/**
	 * A proxy call to the loopback server.
	 * @param state the proxy
	 * @return the response, for JMH to consume
	 */
	@Benchmark
	public String proxyLoopback(ProxyLoopback state) {
		return call(state.proxy, state.payload);
	}

	static DefaultServiceProxy proxy(URI address, ProxyTransport transport, CancellationTimer timer,
			ListenerSet listeners) {
		ProxySettings settings = ProxySettings.builder("jmh", address).build();
		return listeners
			.open(new DefaultServiceProxy(settings, new WebServiceTemplate(), transport, timer, Ticker.SYSTEM));
	}

	private static void finish(DefaultServiceProxy proxy, CancellationTimer timer, Payload payload) {
		verifiedCall(proxy, payload);
		proxy.close();
		timer.shutdown();
	}

	private static String call(WebServiceOperations operations, Payload payload) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(payload.request()), result);
		return result.toString();
	}

	private static void verifiedCall(WebServiceOperations operations, Payload payload) {
		String problem = payload.check(call(operations, payload));
		if (problem != null) {
			throw new IllegalStateException(problem);
		}
	}

}
