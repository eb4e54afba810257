package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A JUnit 5 extension that builds proxies against a test server and makes calls through
 * them on threads of its own; after each test it aborts and closes every proxy, stops its
 * threads and timer, and closes the server and whatever else it was handed. Register it
 * on an instance field: {@code @RegisterExtension final ProxyFixture fixture =
 * ProxyFixture.echoing();}.
 * <p>
 * Not thread-safe: build proxies from the test's thread.
 */
final class ProxyFixture implements AfterEachCallback {

	static final String SOAP_CONTENT_TYPE = "text/xml; charset=utf-8";

	static final String REQUEST = "<echo xmlns=\"urn:test\">hello</echo>";

	private final CancellationTimer timer = new CancellationTimer("test");

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<ServiceProxy> proxies = new ArrayList<>();

	private final Deque<AutoCloseable> resources = new ArrayDeque<>();

	private @Nullable ScriptedHttpServer server;

	private ProxyFixture() {
	}

	/**
	 * A fixture whose server answers every request with an echo response.
	 * @return the fixture
	 */
	static ProxyFixture echoing() {
		return serving(Behaviour.respond(200, SOAP_CONTENT_TYPE, echoResponse()));
	}

	/**
	 * A fixture whose server behaves as told.
	 * @param behaviour the server's behaviour
	 * @return the fixture
	 */
	static ProxyFixture serving(Behaviour behaviour) {
		ProxyFixture fixture = new ProxyFixture();
		fixture.server = fixture.closeAfter(ScriptedHttpServer.start(behaviour));
		return fixture;
	}

	/**
	 * A fixture without a server of its own, for tests that bring their own.
	 * @return the fixture
	 */
	static ProxyFixture serverless() {
		return new ProxyFixture();
	}

	static String envelope(String payload) {
		return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>" + payload
				+ "</soapenv:Body></soapenv:Envelope>";
	}

	static String echoResponse() {
		return envelope("<echoResponse xmlns=\"urn:test\">hello</echoResponse>");
	}

	ScriptedHttpServer server() {
		if (this.server == null) {
			throw new IllegalStateException("This fixture has no server of its own");
		}
		return this.server;
	}

	/**
	 * An open proxy with default settings against the fixture's server.
	 * @return the proxy
	 */
	DefaultServiceProxy open() {
		return open((settings) -> settings);
	}

	/**
	 * An open proxy against the fixture's server.
	 * @param customizer changes the default settings
	 * @return the proxy
	 */
	DefaultServiceProxy open(UnaryOperator<ProxySettings.Builder> customizer) {
		return open(server().uri("/ws"), customizer);
	}

	DefaultServiceProxy open(URI address, UnaryOperator<ProxySettings.Builder> customizer) {
		DefaultServiceProxy proxy = create(address, customizer);
		proxy.open();
		return proxy;
	}

	DefaultServiceProxy create(UnaryOperator<ProxySettings.Builder> customizer) {
		return create(server().uri("/ws"), customizer);
	}

	DefaultServiceProxy create(URI address, UnaryOperator<ProxySettings.Builder> customizer) {
		return create(customizer.apply(ProxySettings.builder("test", address)).build(), new WebServiceTemplate());
	}

	/**
	 * A proxy in state CREATED with a template of the test's own.
	 * @param settings the settings
	 * @param template the template
	 * @return the proxy
	 */
	DefaultServiceProxy create(ProxySettings settings, WebServiceTemplate template) {
		return create(settings, template, List.of());
	}

	/**
	 * A proxy in state CREATED whose requests the given customizers complete.
	 * @param settings the settings
	 * @param template the template
	 * @param requestCustomizers run on each request
	 * @return the proxy
	 */
	DefaultServiceProxy create(ProxySettings settings, WebServiceTemplate template,
			List<ServiceProxyRequestCustomizer> requestCustomizers) {
		DefaultServiceProxy proxy = ServiceProxyFactory.create(settings, template, this.timer, requestCustomizers);
		this.proxies.add(proxy);
		return proxy;
	}

	/**
	 * Wait until the fixture's server has received the request on one of its connections,
	 * failing the test after five seconds.
	 * @param index the connection, in the order they were accepted
	 * @return the connection
	 */
	ServerConnection awaitRequest(int index) {
		ServerConnection connection = server().awaitConnection(index, Duration.ofSeconds(5));
		assertThat(connection.awaitRequest(Duration.ofSeconds(5))).as("request on connection %d", index).isTrue();
		return connection;
	}

	/**
	 * Start an echo call on a thread of the fixture's.
	 */
	PendingCall<String> submit(ServiceProxy proxy) {
		return proxy.submit(ProxyFixture::echo, this.threads);
	}

	static String echo(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), result);
		return result.toString();
	}

	/**
	 * The fixture's threads, for callers and whatever races them; interrupted and awaited
	 * after the test.
	 * @return the threads
	 */
	ExecutorService threads() {
		return this.threads;
	}

	/**
	 * Start tasks on the fixture's threads, each running a body some number of times.
	 * @param tasks how many tasks (and threads)
	 * @param times how many times each task runs the body
	 * @param body what to repeat; its exceptions end its task
	 * @return the tasks, for {@link #awaitAll}
	 */
	List<Future<?>> repeatOnThreads(int tasks, int times, Runnable body) {
		List<Future<?>> started = new ArrayList<>(tasks);
		for (int i = 0; i < tasks; i++) {
			started.add(this.threads.submit(() -> {
				for (int j = 0; j < times; j++) {
					body.run();
				}
			}));
		}
		return started;
	}

	/**
	 * Wait until a proxy has no call in flight: none pending, none listed.
	 * @param proxy the proxy
	 */
	static void awaitNothingInFlight(ServiceProxy proxy) {
		await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
	}

	/**
	 * Wait for tasks to end, a minute at most each, rethrowing what any of them threw.
	 * @param tasks the tasks
	 * @throws Exception what a task threw, or a timeout
	 */
	static void awaitAll(List<? extends Future<?>> tasks) throws Exception {
		for (Future<?> task : tasks) {
			task.get(60, TimeUnit.SECONDS);
		}
	}

	CancellationTimer timer() {
		return this.timer;
	}

	/**
	 * Close a resource after the test, after the proxies; resources close in the reverse
	 * order they were handed over.
	 * @param <C> the resource type
	 * @param resource the resource
	 * @return the resource
	 */
	<C extends AutoCloseable> C closeAfter(C resource) {
		this.resources.push(resource);
		return resource;
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		for (ServiceProxy proxy : this.proxies) {
			proxy.abort("test ended");
			proxy.close();
		}
		this.threads.shutdownNow();
		this.threads.awaitTermination(10, TimeUnit.SECONDS);
		this.timer.shutdown();
		while (!this.resources.isEmpty()) {
			this.resources.pop().close();
		}
	}

	/**
	 * Assert that a pending call fails in time, naming its call id, with a cause of a
	 * type whose message says what happened.
	 * @param call the pending call
	 * @param within how long its result may take
	 * @param cause the type of the cause
	 * @param message text the cause's message contains
	 */
	static void assertFailsWith(PendingCall<?> call, Duration within, Class<? extends ServiceCallException> cause,
			String message) {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(within.toNanos(), TimeUnit.NANOSECONDS))
			.havingCause()
			.isInstanceOf(cause)
			.withMessageContaining(message)
			.withMessageContaining(call.callId());
	}

	static Duration seconds(long seconds) {
		return Duration.ofSeconds(seconds);
	}

}
