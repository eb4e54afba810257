package io.github.cancellablesoap.server;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose host "relay" serves an endpoint that calls a downstream service
 * through a proxy, on a real Tomcat, with everything declared in properties: the
 * downstream call inherits the operation's deadline (also when the endpoint hands it to
 * another thread), is aborted with a reason naming the cause when the operation is
 * cancelled for any reason, and a detached call is neither.
 */
@SpringBootTest(classes = PropagationIntegrationTests.RelayApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cancellable-soap.hosts.relay.path=/hosts/relay", "cancellable-soap.hosts.relay.abort-grace=2s",
				"cancellable-soap.proxies.downstream.address=http://127.0.0.1:${test.hang.port}/ws",
				"cancellable-soap.proxies.downstream.call-timeout=30s",
				"cancellable-soap.proxies.echo.address=http://127.0.0.1:${test.echo.port}/ws" })
class PropagationIntegrationTests {

	private static final ScriptedHttpServer HANG = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	private static final ScriptedHttpServer ECHO = ScriptedHttpServer.start(
			Behaviour.respond(200, "text/xml; charset=utf-8", HostTestSupport.envelope("<echoed xmlns=\"urn:t\"/>")));

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("relay")
	ServiceHost relay;

	@Autowired
	ServiceProxies proxies;

	@Autowired
	RelayEndpoint endpoint;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("test.hang.port", HANG::port);
		registry.add("test.echo.port", ECHO::port);
	}

	@AfterAll
	static void stop() {
		HANG.close();
		ECHO.close();
	}

	@BeforeEach
	void openRelay() {
		if (this.relay.state() == HostState.FAULTED) {
			this.relay.reset();
		}
		if (this.relay.state() == HostState.CREATED) {
			this.relay.open();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.relay.operations().isEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "OPERATOR", "HOST_ABORTED", "CALLER_GONE" })
	void cancellingTheOperationAbortsItsDownstreamCallNamingTheCause(String cause) throws Exception {
		int index = HANG.connections().size();
		Socket caller = new Socket("localhost", this.port);
		try {
			HostTestSupport.send(caller, "relay", request("relay"));
			ServerConnection downstream = awaitDownstream(index);
			String operation = onlyOperation();
			switch (CancelReason.valueOf(cause)) {
				case OPERATOR -> assertThat(this.relay.cancel(operation, "stuck")).isTrue();
				case HOST_ABORTED -> assertThat(this.relay.abort("maintenance")).isTrue();
				default -> caller.close();
			}
			Throwable thrown = this.endpoint.of(operation).awaitOutcome();
			assertThat(thrown).isInstanceOfSatisfying(CallAbortedException.class, (ex) -> assertThat(ex.getReason())
				.startsWith("upstream operation " + operation + " was cancelled (" + cause));
			assertThat(downstream.awaitClosedByPeer(Duration.ofSeconds(5))).as("the downstream socket").isTrue();
			this.endpoint.of(operation).awaitCompleted();
			assertThat(this.endpoint.of(operation).cancels.get()).as("cancel callback runs").isEqualTo(1);
			assertThat(this.endpoint.of(operation).reason).isEqualTo(CancelReason.valueOf(cause));
		}
		finally {
			caller.close();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> downstream().pendingCalls() == 0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "wrapped", "attached" })
	void aCallOnAThreadTheContextWasHandedToIsAbortedWithTheOperation(String mode) throws Exception {
		int index = HANG.connections().size();
		CompletableFuture<HttpResponse<String>> answer = post(request(mode), Map.of());
		ServerConnection downstream = awaitDownstream(index);
		String operation = onlyOperation();
		assertThat(this.relay.cancel(operation, "stuck")).isTrue();
		assertThat(this.endpoint.of(operation).awaitOutcome()).isInstanceOfSatisfying(CallAbortedException.class,
				(ex) -> assertThat(ex.getReason())
					.isEqualTo("upstream operation " + operation + " was cancelled (OPERATOR: stuck)"));
		assertThat(downstream.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		HostTestSupport.assertCancelledFault(answer.get(20, TimeUnit.SECONDS), CancelReason.OPERATOR);
		this.endpoint.of(operation).awaitCompleted();
		assertThat(this.endpoint.of(operation).cancels.get()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "relay", "wrapped", "attached" })
	void aTwoSecondBudgetFromTheCallerBoundsTheDownstreamCall(String mode) throws Exception {
		int index = HANG.connections().size();
		CompletableFuture<HttpResponse<String>> answer = post(request(mode), Map.of("Soap-Call-Timeout", "2000"));
		ServerConnection downstream = awaitDownstream(index);
		String operation = onlyOperation();
		long budget = Long.parseLong(downstream.requestHeader("Soap-Call-Timeout"));
		assertThat(budget).as("the budget sent on").isBetween(1L, 2000L);
		assertThat(this.endpoint.of(operation).awaitOutcome()).isInstanceOfSatisfying(CallTimedOutException.class,
				(ex) -> {
					assertThat(ex.getInheritedFrom()).isEqualTo("operation " + operation);
					assertThat(ex.getMessage()).contains("inherited from upstream operation " + operation);
				});
		assertThat(this.endpoint.of(operation).downstreamMillis).as("timed out near 2 s, not after 30 s")
			.isBetween(1000L, 10_000L);
		assertThat(downstream.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		HostTestSupport.assertCancelledFault(answer.get(20, TimeUnit.SECONDS), CancelReason.DEADLINE_EXCEEDED);
		this.endpoint.of(operation).awaitCompleted();
		assertThat(this.endpoint.of(operation).cancels.get()).isEqualTo(1);
	}

	@Test
	void aDetachedCallIsNeitherShortenedNorAbortedByTheOperation() throws Exception {
		int index = HANG.connections().size();
		CompletableFuture<HttpResponse<String>> answer = post(request("detached"), Map.of("Soap-Call-Timeout", "2000"));
		ServerConnection downstream = awaitDownstream(index);
		String operation = onlyOperation();
		assertThat(Long.parseLong(downstream.requestHeader("Soap-Call-Timeout"))).as("the proxy's own 30 s")
			.isGreaterThan(20_000L);
		assertThat(this.relay.cancel(operation, "stuck")).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.endpoint.of(operation).cancels.get() > 0);
		// a wrongly cascaded abort would show within a second: the call decided, its
		// socket
		// seen closed by the server
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			assertThat(downstream().calls()).singleElement()
				.satisfies((call) -> assertThat(call.outcome()).as("still undecided").isNull());
			assertThat(downstream.isClosedByPeer()).isFalse();
		});
		String callId = downstream().calls().get(0).id();
		assertThat(downstream().abortCall(callId, "test over")).isTrue();
		assertThat(this.endpoint.of(operation).awaitOutcome()).isInstanceOf(CallAbortedException.class)
			.hasMessageContaining("test over");
		HostTestSupport.assertCancelledFault(answer.get(20, TimeUnit.SECONDS), CancelReason.OPERATOR);
	}

	@Test
	void manyCallsInsideOneOperationLeaveNoListenerOnItsScope() throws Exception {
		CompletableFuture<HttpResponse<String>> answer = post(request("many"), Map.of("Soap-Call-Timeout", "60000"));
		HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		String operation = this.endpoint.lastOperation;
		assertThat(this.endpoint.of(operation).awaitOutcome()).isNull();
		assertThat(this.endpoint.of(operation).listenersLeft)
			.as("listeners after 100 calls, beyond the operation's own")
			.isZero();
		assertThat(this.proxies.find("echo").orElseThrow().pendingCalls()).isZero();
	}

	private ServiceProxy downstream() {
		return this.proxies.find("downstream").orElseThrow();
	}

	private static ServerConnection awaitDownstream(int index) {
		ServerConnection connection = HANG.awaitConnection(index, Duration.ofSeconds(10));
		assertThat(connection.awaitRequest(Duration.ofSeconds(10))).as("the downstream request").isTrue();
		return connection;
	}

	private String onlyOperation() {
		assertThat(this.relay.operations()).hasSize(1);
		return this.relay.operations().get(0).id();
	}

	private static String request(String mode) {
		return HostTestSupport.envelope("<t:Relay xmlns:t=\"urn:relay\" mode=\"" + mode + "\"/>");
	}

	private CompletableFuture<HttpResponse<String>> post(String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/hosts/relay"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "text/xml; charset=utf-8")
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return HostTestSupport.HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class RelayApplication {

		@Bean
		RelayEndpoint relayEndpoint(ServiceProxies proxies) {
			return new RelayEndpoint(proxies);
		}

	}

}
