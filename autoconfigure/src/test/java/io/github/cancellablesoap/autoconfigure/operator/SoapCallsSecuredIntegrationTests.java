package io.github.cancellablesoap.autoconfigure.operator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The soapcalls endpoint and the abort controller over real HTTP, behind the
 * application's own Spring Security filter chain: reads need a user, writes the
 * SOAP_OPERATOR role, every write is audited, and the verbs reach the real proxy and
 * host.
 */
@SpringBootTest(classes = { OperatorTestApplication.class, SoapCallsSecuredIntegrationTests.Security.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cancellable-soap.proxies.remote.max-pending-calls=200",
				"cancellable-soap.proxies.remote.call-timeout=60s", "cancellable-soap.hosts.main.path=/soap",
				"cancellable-soap.hosts.main.abort-grace=5s", "cancellable-soap.controller.enabled=true",
				"management.endpoints.web.exposure.include=soapcalls",
				"management.endpoint.soapcalls.access=unrestricted" })
class SoapCallsSecuredIntegrationTests extends OperatorIntegrationTests {

	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	private static final String ENDPOINT = "/actuator/soapcalls";

	private static final String CONTROLLER = "/soapcalls";

	@Autowired
	@Qualifier("main")
	ServiceHost host;

	@Autowired
	MeterRegistry meters;

	OperatorHttp anonymous;

	OperatorHttp viewer;

	OperatorHttp operator;

	@AfterAll
	static void stopCallers() {
		CALLERS.shutdownNow();
	}

	@BeforeEach
	void setUp() {
		this.anonymous = new OperatorHttp(this.port);
		this.viewer = this.anonymous.as("viewer");
		this.operator = this.anonymous.as("operator");
		this.audit.clear();
	}

	@AfterEach
	void restore() {
		this.proxy.abort("test cleanup");
		if (this.proxy.state() != ProxyState.CREATED) {
			this.proxy.reset();
		}
		this.proxy.open();
		this.host.abort("test cleanup");
		if (this.host.state() != HostState.CREATED) {
			this.host.reset();
		}
		this.host.open();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.proxy.pendingCalls() == 0 && this.host.operations().isEmpty());
	}

	@Test
	void abandoningOneCallReleasesItsCallerWhileTheOthersGoOn() throws Exception {
		List<PendingCall<String>> calls = waitingCalls(3);
		String victim = calls.get(1).callId();

		HttpResponse<String> response = this.operator
			.delete(ENDPOINT + "/calls/" + victim + "?mode=abandon&reason=stuck%20upstream");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response, "$.target")).isEqualTo("call");
		assertThat(read(response, "$.outcome")).isEqualTo("changed");
		assertThat(read(response, "$.previousState")).isEqualTo("PENDING");
		assertThat(read(response, "$.newState")).isEqualTo("ABANDONED");
		assertThat(read(response, "$.ioCancelled")).isEqualTo(false);
		assertThat(read(response, "$.reason")).isEqualTo("stuck upstream");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> calls.get(1).result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
		assertThat(calls.get(0).result()).isNotDone();
		assertThat(calls.get(2).result()).isNotDone();
		HttpResponse<String> listing = this.viewer.get(ENDPOINT + "/proxies/remote");
		assertThat(listing.statusCode()).isEqualTo(200);
		assertThat(read(listing, "$.total")).isEqualTo(3);
		assertThat(read(listing, "$.abandonedCalls")).isEqualTo(1);

		HttpResponse<String> again = this.operator.delete(ENDPOINT + "/calls/" + victim);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(read(again, "$.outcome")).isEqualTo("no change");
	}

	@Test
	void abortingAProxyFailsEveryPendingCallAndRepeatingItChangesNothing() throws Exception {
		List<PendingCall<String>> calls = waitingCalls(40);
		double applicationAborts = applicationProxyAborts();

		HttpResponse<String> response = this.operator.post(CONTROLLER + "/proxies/remote",
				"{\"action\": \"abort\", \"reason\": \"remote hung\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response, "$.previousState")).isEqualTo("OPEN");
		assertThat(read(response, "$.newState")).isEqualTo("FAULTED");
		assertThat(read(response, "$.outcome")).isEqualTo("changed");
		assertThat(read(response, "$.ioCancelled")).isEqualTo(true);
		assertThat(read(response, "$.affected")).isEqualTo(40);
		for (PendingCall<String> call : calls) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(CallAbortedException.class);
		}
		HttpResponse<String> again = this.operator.post(CONTROLLER + "/proxies/remote", "{\"action\": \"abort\"}");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(read(again, "$.outcome")).isEqualTo("no change");
		assertThat(this.meters.get("soap.aborts").tag("initiator", "operator").tag("target", "proxy").counter().count())
			.isEqualTo(1);
		assertThat(applicationProxyAborts()).as("an operator's abort is counted once, as the operator's")
			.isEqualTo(applicationAborts);

		HttpResponse<String> conflict = this.operator.post(CONTROLLER + "/proxies/remote", "{\"action\": \"open\"}");
		assertThat(conflict.statusCode()).isEqualTo(409);
		assertThat(conflict.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(read(conflict, "$.state")).isEqualTo("FAULTED");
		assertThat(text(conflict, "$.detail")).contains("FAULTED");
		assertThat(read(this.operator.post(CONTROLLER + "/proxies/remote", "{\"action\": \"reset\"}"), "$.newState"))
			.isEqualTo("CREATED");
		assertThat(read(this.operator.post(CONTROLLER + "/proxies/remote", "{\"action\": \"open\"}"), "$.newState"))
			.isEqualTo("OPEN");
	}

	@Test
	void abandonAllReleasesEveryCallerAndAbortingOneChannelClosesOnlyItsCall() throws Exception {
		List<PendingCall<String>> calls = waitingCalls(2);
		String channel = this.proxy.call(calls.get(0).callId()).map(CallInfo::channelId).orElseThrow();

		HttpResponse<String> aborted = this.operator.post(ENDPOINT + "/channels/" + channel, "{\"action\":\"abort\"}");
		assertThat(aborted.statusCode()).isEqualTo(200);
		assertThat(read(aborted, "$.ioCancelled")).isEqualTo(true);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> calls.get(0).result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		assertThat(this.proxy.state()).isEqualTo(ProxyState.OPEN);

		HttpResponse<String> abandoned = this.operator.post(ENDPOINT + "/proxies/remote",
				"{\"action\":\"abandon-all\"}");
		assertThat(abandoned.statusCode()).isEqualTo(200);
		assertThat(read(abandoned, "$.affected")).isEqualTo(1);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> calls.get(1).result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbandonedException.class);
	}

	@Test
	void operatorCancelsAnOperationAndDrivesTheHostAndListenerThroughEveryVerb() throws Exception {
		var soap = this.operator.slowSoapCall();
		OperationInfo running = awaitOperation();
		HttpResponse<String> described = this.viewer.get(ENDPOINT + "/operations/" + running.id());
		assertThat(read(described, "$.host")).isEqualTo("main");
		assertThat(read(this.viewer.get(ENDPOINT + "/hosts/main"), "$.total")).isEqualTo(1);

		HttpResponse<String> cancelled = this.operator
			.delete(CONTROLLER + "/operations/" + running.id() + "?reason=runaway");
		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(read(cancelled, "$.previousState")).isEqualTo("RUNNING");
		assertThat(read(cancelled, "$.outcome")).isEqualTo("changed");
		assertThat(soap.get(10, TimeUnit.SECONDS).body()).contains("OPERATOR");

		assertHostVerb("abort-listener", "OPEN", "FAULTED", "changed");
		assertHostVerb("abort-listener", "FAULTED", "FAULTED", "no change");
		assertHostVerb("reset-listener", "FAULTED", "OPEN", "changed");
		assertHostVerb("reset-listener", "OPEN", "OPEN", "no change");

		soap = this.operator.slowSoapCall();
		awaitOperation();
		HttpResponse<String> abort = assertHostVerb("abort", "OPEN", "FAULTED", "changed");
		assertThat(read(abort, "$.affected")).isEqualTo(1);
		assertThat(soap.get(10, TimeUnit.SECONDS).body()).contains("HOST_ABORTED");
		assertHostVerb("abort", "FAULTED", "FAULTED", "no change");
		HttpResponse<String> conflict = this.operator.post(ENDPOINT + "/hosts/main", "{\"action\":\"open\"}");
		assertThat(conflict.statusCode()).isEqualTo(409);
		assertThat(read(conflict, "$.state")).isEqualTo("FAULTED");
		HttpResponse<String> listenerConflict = this.operator.post(ENDPOINT + "/hosts/main",
				"{\"action\":\"reset-listener\"}");
		assertThat(listenerConflict.statusCode()).isEqualTo(409);
		assertThat(text(listenerConflict, "$.detail")).contains("FAULTED");
		assertHostVerb("close", "FAULTED", "CLOSED", "changed");
		assertHostVerb("close", "CLOSED", "CLOSED", "no change");
		assertHostVerb("reset", "CLOSED", "CREATED", "changed");
		assertHostVerb("open", "CREATED", "OPEN", "changed");
		assertHostVerb("open", "OPEN", "OPEN", "no change");
		assertThat(this.host.listenerState()).isEqualTo(ListenerState.OPEN);
		assertThat(this.meters.get("soap.aborts")
			.tag("initiator", "operator")
			.tag("target", "operation")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void hostListingsFilterByTheCallersCallIdOnBothSurfaces() throws Exception {
		var first = this.operator.slowSoapCall("c-12");
		var second = this.operator.slowSoapCall("c-120");
		var anonymousCaller = this.operator.slowSoapCall();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.host.operations().size() == 3);
		String served = this.host.operations()
			.stream()
			.filter((operation) -> "c-12".equals(operation.callerCallId()))
			.findFirst()
			.orElseThrow()
			.id();
		for (String base : List.of(ENDPOINT, CONTROLLER)) {
			HttpResponse<String> listing = this.viewer.get(base + "/hosts/main?callerCallId=c-12");
			assertThat(listing.statusCode()).isEqualTo(200);
			assertThat(read(listing, "$.total")).isEqualTo(1);
			assertThat(read(listing, "$.operations.length()")).isEqualTo(1);
			assertThat(read(listing, "$.operations[0].id")).isEqualTo(served);
			assertThat(read(listing, "$.operations[0].callerCallId")).isEqualTo("c-12");
			assertThat(read(this.viewer.get(base + "/hosts/main"), "$.total")).isEqualTo(3);
			assertThat(read(this.viewer.get(base + "/hosts/main?callerCallId=c-9"), "$.total")).isEqualTo(0);

			HttpResponse<String> malformed = this.viewer.get(base + "/hosts/main?callerCallId=c%2012%3C");
			assertError(malformed, 400);
			assertThat(text(malformed, "$.detail")).startsWith("Malformed callerCallId").doesNotContain("<");
			assertError(this.viewer.get(base + "/proxies/remote?callerCallId=c-12"), 400);
		}
		this.host.abort("test over");
		for (var soap : List.of(first, second, anonymousCaller)) {
			assertThat(soap.get(10, TimeUnit.SECONDS).body()).contains("HOST_ABORTED");
		}
	}

	@Test
	void readsNeedAUserAndWritesTheOperatorRole() {
		assertThat(this.anonymous.get(ENDPOINT).statusCode()).isEqualTo(401);
		assertThat(this.anonymous.get(CONTROLLER + "/proxies/remote").statusCode()).isEqualTo(401);
		assertThat(this.anonymous.post(ENDPOINT + "/proxies/remote", "{\"action\":\"abort\"}").statusCode())
			.isEqualTo(401);
		HttpResponse<String> overview = this.viewer.get(ENDPOINT);
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat(read(overview, "$.proxies[0].name")).isEqualTo("remote");
		assertThat(read(overview, "$.proxies[0].state")).isEqualTo("OPEN");
		assertThat(read(overview, "$.hosts[0].listenerState")).isEqualTo("OPEN");
		assertThat(this.viewer.get(CONTROLLER).statusCode()).isEqualTo(200);

		HttpResponse<String> forbidden = this.viewer.post(CONTROLLER + "/proxies/remote", "{\"action\":\"abort\"}");
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(read(forbidden, "$.title")).isEqualTo("Forbidden");
		assertThat(this.viewer.delete(ENDPOINT + "/calls/c-1").statusCode()).isEqualTo(403);
		assertThat(this.proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThat(this.audit.events()).extracting(AuditEvent::getPrincipal).contains("viewer", "anonymous");
	}

	@Test
	void malformedInputIsABadRequestAndUnknownTargetsAreNotFound() {
		for (String base : List.of(ENDPOINT, CONTROLLER)) {
			assertError(this.operator.post(base + "/proxies/remote", "{\"action\":\"explode\"}"), 400);
			assertError(this.operator.post(base + "/proxies/remote", "{\"reason\":\"no action\"}"), 400);
			assertError(this.operator.post(base + "/proxies/remote", "{\"action\": "), 400);
			assertError(this.operator.delete(base + "/calls/c-1?mode=shred"), 400);
			assertError(this.operator.delete(base + "/calls/not-an-id"), 400);
			assertError(this.operator.get(base + "/operations/c-1"), 400);
			assertError(this.viewer.get(base + "/proxies/remote?limit=0"), 400);
			assertError(this.viewer.get(base + "/proxies/remote?limit=many"), 400);
			assertError(this.viewer.get(base + "/proxies/nowhere"), 404);
			assertError(this.viewer.get(base + "/hosts/nowhere"), 404);
			assertError(this.viewer.get(base + "/calls/c-zzzzzz"), 404);
			assertError(this.operator.delete(base + "/calls/c-zzzzzz"), 404);
			assertError(this.operator.delete(base + "/operations/o-zzzzzz"), 404);
			assertError(this.operator.post(base + "/channels/ch-zzzzzz", "{\"action\":\"abort\"}"), 404);
			assertError(this.operator.post(base + "/proxies/nowhere", "{\"action\":\"abort\"}"), 404);
			assertError(this.operator.post(base + "/hosts/main", "{\"action\":\"reset\"}"), 409);
		}
		HttpResponse<String> problem = this.operator.post(CONTROLLER + "/proxies/remote", "{\"action\": ");
		assertThat(problem.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void listingsAreBoundedByTheLimitAndReportTheTotal() throws Exception {
		waitingCalls(5);
		HttpResponse<String> listing = this.viewer.get(ENDPOINT + "/proxies/remote?limit=2");
		assertThat(listing.statusCode()).isEqualTo(200);
		assertThat(read(listing, "$.total")).isEqualTo(5);
		assertThat(read(listing, "$.truncated")).isEqualTo(true);
		assertThat((List<?>) JsonPath.read(listing.body(), "$.calls")).hasSize(2);
		HttpResponse<String> fromController = this.viewer.get(CONTROLLER + "/proxies/remote");
		assertThat((List<?>) JsonPath.read(fromController.body(), "$.calls")).hasSize(5);
	}

	@Test
	void everyWriteIsAuditedWithItsPrincipalVerbTargetReasonAndResult() throws Exception {
		List<PendingCall<String>> calls = waitingCalls(1);
		this.operator.delete(CONTROLLER + "/calls/" + calls.get(0).callId() + "?reason=audit%20me");
		this.operator.post(ENDPOINT + "/proxies/nowhere", "{\"action\":\"abort\"}");

		assertThat(this.audit.events()).hasSize(2);
		AuditEvent abandon = this.audit.events().get(0);
		assertThat(abandon.getPrincipal()).isEqualTo("operator");
		assertThat(abandon.getType()).isEqualTo("SOAP_OPERATOR_ACTION");
		assertThat(abandon.getData()).containsEntry("verb", "abandon")
			.containsEntry("target", "calls:" + calls.get(0).callId())
			.containsEntry("reason", "audit me")
			.containsEntry("result", "changed");
		Map<String, Object> refused = this.audit.events().get(1).getData();
		assertThat(refused).containsEntry("target", "proxies:nowhere")
			.containsEntry("result", "Not Found")
			.containsEntry("status", 404);
	}

	private HttpResponse<String> assertHostVerb(String action, String previous, String next, String outcome) {
		HttpResponse<String> response = this.operator.post(ENDPOINT + "/hosts/main",
				"{\"action\":\"" + action + "\",\"reason\":\"verb test\"}");
		assertThat(response.statusCode()).as(action + " from " + previous).isEqualTo(200);
		assertThat(read(response, "$.previousState")).as(action).isEqualTo(previous);
		assertThat(read(response, "$.newState")).as(action).isEqualTo(next);
		assertThat(read(response, "$.outcome")).as(action).isEqualTo(outcome);
		return response;
	}

	private OperationInfo awaitOperation() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.host.operations().isEmpty());
		return this.host.operations().get(0);
	}

	private static void assertError(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri())
			.isEqualTo(status);
		assertThat(response.body()).doesNotContain("Exception")
			.doesNotContain("io.github")
			.doesNotContain("java.")
			.doesNotContain("\tat ");
	}

	private List<PendingCall<String>> waitingCalls(int count) {
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			calls.add(this.proxy.submit(SoapCallsSecuredIntegrationTests::echo, CALLERS));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> calls.stream()
				.allMatch((call) -> this.proxy.call(call.callId())
					.map(CallInfo::phase)
					.orElse(null) == CallPhase.WAITING_FOR_RESPONSE));
		return calls;
	}

	private static String echo(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<echo xmlns=\"urn:test\"/>"), result);
		return result.toString();
	}

	private static Object read(HttpResponse<String> response, String path) {
		return JsonPath.read(response.body(), path);
	}

	private static String text(HttpResponse<String> response, String path) {
		return JsonPath.read(response.body(), path);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class Security {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/soapcalls/**", "/soapcalls/**", "/soap"));
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build(),
					User.withUsername("operator").password("{noop}operator").roles("SOAP_OPERATOR").build());
		}

	}

	private double applicationProxyAborts() {
		io.micrometer.core.instrument.Counter counter = this.meters.find("soap.aborts")
			.tag("initiator", "application")
			.tag("target", "proxy")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
