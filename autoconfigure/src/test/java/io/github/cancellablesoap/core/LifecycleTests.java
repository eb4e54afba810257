package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.ServiceHostSettings;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.testsupport.Racers;
import io.github.cancellablesoap.transport.HttpComponents5Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proxies and hosts follow one state table, and open, abort, close and reset racing from
 * many threads leave a proxy's transport running exactly when the proxy is OPEN (and a
 * host's listener open exactly when the host is), with no exception but the documented
 * {@link IllegalStateException}.
 */
class LifecycleTests {

	private static final List<String> VERBS = List.of("open", "close", "abort", "reset");

	private static final int THREADS = 6;

	private static final int ROUNDS = 250;

	private final CancellationTimer timer = new CancellationTimer("test");

	private final ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.respond(200, "text/xml; charset=utf-8",
			"<soapenv:Envelope xmlns:soapenv="
					+ "\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><ok xmlns=\"urn:test\"/>"
					+ "</soapenv:Body></soapenv:Envelope>"));

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	private final List<Runnable> cleanups = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		this.cleanups.forEach(Runnable::run);
		this.threads.shutdownNow();
		this.threads.awaitTermination(10, TimeUnit.SECONDS);
		this.server.close();
		this.timer.shutdown();
	}

	@Test
	void proxiesAndHostsFollowTheSameStateTable() {
		Map<String, String> expected = new LinkedHashMap<>();
		expected.put("open in CREATED", "OPEN");
		expected.put("open in OPEN", "OPEN");
		expected.put("open in CLOSED", "IllegalStateException");
		expected.put("open in FAULTED", "IllegalStateException");
		expected.put("close in CREATED", "CLOSED");
		expected.put("close in OPEN", "CLOSED");
		expected.put("close in CLOSED", "CLOSED");
		expected.put("close in FAULTED", "CLOSED");
		expected.put("abort in CREATED", "CREATED");
		expected.put("abort in OPEN", "FAULTED");
		expected.put("abort in CLOSED", "CLOSED");
		expected.put("abort in FAULTED", "FAULTED");
		expected.put("reset in CREATED", "IllegalStateException");
		expected.put("reset in OPEN", "IllegalStateException");
		expected.put("reset in CLOSED", "CREATED");
		expected.put("reset in FAULTED", "CREATED");
		Map<String, String> proxies = new LinkedHashMap<>();
		Map<String, String> hosts = new LinkedHashMap<>();
		for (String verb : VERBS) {
			for (String from : List.of("CREATED", "OPEN", "CLOSED", "FAULTED")) {
				Target proxy = proxy();
				Target host = host();
				proxies.put(verb + " in " + from, apply(proxy, from, verb));
				hosts.put(verb + " in " + from, apply(host, from, verb));
				assertThat(proxy.consistent()).as("proxy: %s in %s leaves %s", verb, from, proxy.describe()).isTrue();
				assertThat(host.consistent()).as("host: %s in %s leaves %s", verb, from, host.describe()).isTrue();
			}
		}
		assertThat(proxies).isEqualTo(expected);
		assertThat(hosts).isEqualTo(expected);
	}

	@Test
	void verbsRacingFromManyThreadsLeaveAProxyTransportRunningExactlyWhenOpen() throws Exception {
		race(proxy());
	}

	@Test
	void verbsRacingFromManyThreadsLeaveAHostListenerOpenExactlyWhenOpen() throws Exception {
		race(host());
	}

	private void race(Target target) throws Exception {
		Queue<String> surprises = new ConcurrentLinkedQueue<>();
		for (int round = 0; round < ROUNDS; round++) {
			Racers.race(this.threads, THREADS, Duration.ofSeconds(30), (racer) -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int j = 0; j < 3; j++) {
					String verb = VERBS.get(random.nextInt(VERBS.size()));
					try {
						target.verbs().get(verb).run();
					}
					catch (IllegalStateException ex) {
						if (!ex.getMessage().contains(target.named())) {
							surprises.add(verb + ": " + ex.getMessage());
						}
					}
					catch (RuntimeException ex) {
						surprises.add(verb + ": " + ex);
					}
				}
			});
			assertThat(surprises).as("round %d", round).isEmpty();
			assertThat(target.consistent()).as("round %d: %s", round, target.describe()).isTrue();
			target.check().run();
		}
	}

	private static String apply(Target target, String from, String verb) {
		switch (from) {
			case "OPEN" -> target.verbs().get("open").run();
			case "CLOSED" -> {
				target.verbs().get("open").run();
				target.verbs().get("close").run();
			}
			case "FAULTED" -> {
				target.verbs().get("open").run();
				target.verbs().get("abort").run();
			}
			default -> {
			}
		}
		try {
			target.verbs().get(verb).run();
			return target.state().get();
		}
		catch (IllegalStateException ex) {
			assertThat(ex.getMessage()).contains(target.named()).contains(from);
			assertThat(target.state().get()).isEqualTo(from);
			return "IllegalStateException";
		}
	}

	private Target proxy() {
		ProxySettings settings = ProxySettings.builder("race", this.server.uri("/ws"))
			.closeTimeout(Duration.ofSeconds(5))
			.build();
		HttpComponents5Transport transport = new HttpComponents5Transport(settings);
		DefaultServiceProxy proxy = new DefaultServiceProxy(settings, new WebServiceTemplate(), transport, this.timer,
				Ticker.SYSTEM);
		this.cleanups.add(() -> {
			proxy.abort("test ended");
			proxy.close();
		});
		Map<String, Runnable> verbs = Map.of("open", proxy::open, "close", proxy::close, "abort",
				() -> proxy.abort("race"), "reset", proxy::reset);
		return new Target("proxy 'race'", verbs, () -> proxy.state().name(),
				() -> transport.isRunning() == (proxy.state() == io.github.cancellablesoap.client.ProxyState.OPEN),
				() -> "state " + proxy.state() + ", transport running " + transport.isRunning(), () -> {
					if (transport.isRunning()) {
						StringResult result = new StringResult();
						proxy.sendSourceAndReceiveToResult(new StringSource("<ping xmlns=\"urn:test\"/>"), result);
						assertThat(result.toString()).contains("ok");
					}
				});
	}

	private Target host() {
		DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("race", "/race"), this.timer);
		Map<String, Runnable> verbs = Map.of("open", host::open, "close", host::close, "abort",
				() -> host.abort("race"), "reset", host::reset);
		return new Target("service host 'race'", verbs, () -> host.state().name(), () -> switch (host.state()) {
			case OPEN -> host.listenerState() == ListenerState.OPEN;
			case FAULTED -> host.listenerState() == ListenerState.FAULTED;
			default -> host.listenerState() == ListenerState.CLOSED;
		}, () -> "state " + host.state() + ", listener " + host.listenerState(), () -> {
		});
	}

	/**
	 * A proxy or host under test, seen through its verbs and its invariant.
	 */
	private record Target(String named, Map<String, Runnable> verbs, Supplier<String> state,
			Supplier<Boolean> invariant, Supplier<String> description, Runnable check) {

		boolean consistent() {
			return this.invariant.get();
		}

		String describe() {
			return this.description.get();
		}

	}

}
