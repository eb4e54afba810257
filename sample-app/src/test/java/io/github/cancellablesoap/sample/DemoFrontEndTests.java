package io.github.cancellablesoap.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.cancellablesoap.actuate.audit.AuditEventOperatorActionListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the sample's REST front end over real HTTP: the front end calls the quotes
 * service through the {@code quotes} proxy, over loopback, on a free port picked for the
 * test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ContextConfiguration(initializers = FreeServerPort.class)
class DemoFrontEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SLOW_REPORT = "/demo/reports?delayMs=20000";

	@LocalServerPort
	private int port;

	@Autowired
	private AuditEventRepository audit;

	private RestClient http;

	@BeforeEach
	void connect() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void wsdlIsPublished() {
		Answer wsdl = exchange(HttpMethod.GET, "/ws/quotes.wsdl");
		assertThat(wsdl.status()).isEqualTo(200);
		assertThat(wsdl.text()).contains("urn:io.github.cancellablesoap:sample:quotes")
			.contains("GetQuote")
			.contains("GetReport")
			.contains("http://127.0.0.1:" + this.port + "/soap/quotes");
	}

	@Test
	void fastQuoteIsAnsweredThroughTheProxy() {
		Answer quote = exchange(HttpMethod.POST, "/demo/quotes/ACME");
		assertThat(quote.status()).isEqualTo(200);
		assertThat(quote.json()).containsEntry("symbol", "ACME").containsEntry("currency", "USD");
		assertThat(quote.json().get("price")).hasToString("123.45");
		assertThat((String) quote.json().get("callId")).isNotBlank();
	}

	@Test
	void unknownSymbolIsAClientFault() {
		Answer quote = exchange(HttpMethod.POST, "/demo/quotes/NOPE");
		assertThat(quote.status()).isEqualTo(400);
		assertThat(quote.json()).containsEntry("outcome", "FAULT");
		String callId = (String) quote.json().get("callId");
		assertThat(callId).startsWith("c-");
		// The fault string is the remote side's text: it stays in the log.
		assertThat((String) quote.json().get("error")).contains("SOAP client fault")
			.contains(callId)
			.doesNotContain("NOPE");
	}

	@Test
	void demoVerbsNeedTheOperatorRoleAndChangeNothingWithoutIt() {
		String callId = startSlowReport();

		Answer anonymous = exchange(HttpMethod.DELETE, "/demo/calls/" + callId + "?mode=abort");
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.challenge()).startsWith("Basic");
		assertThat(exchange(HttpMethod.DELETE, "/demo/calls/" + callId + "?mode=abandon", "viewer").status())
			.isEqualTo(403);
		assertThat(exchange(HttpMethod.POST, "/demo/proxy/abort").status()).isEqualTo(401);
		assertThat(exchange(HttpMethod.POST, "/demo/proxy/close", "viewer").status()).isEqualTo(403);

		assertThat(listedCall(callId)).containsEntry("abandoned", false);
		assertThat(reportStatus(callId)).isEqualTo("RUNNING");
		assertThat(exchange(HttpMethod.GET, "/demo/proxy").json()).containsEntry("state", "OPEN");
		assertThat(cancelCall(callId, "abort").status()).isEqualTo(200);
	}

	@Test
	void demoVerbsAreAuditedAsOperatorActions() {
		Instant before = Instant.now().minusSeconds(1);
		String callId = startSlowReport();

		assertThat(cancelCall(callId, "abandon").status()).isEqualTo(200);
		assertThat(cancelCall(callId, "abort").status()).isEqualTo(200);
		assertThat(asOperator(HttpMethod.POST, "/demo/proxy/bogus").status()).isEqualTo(400);

		List<Map<String, Object>> actions = this.audit.find("operator", before, AuditEventOperatorActionListener.TYPE)
			.stream()
			.map(AuditEvent::getData)
			.toList();
		assertThat(actions).anySatisfy((data) -> assertThat(data).containsEntry("verb", "abandon")
			.containsEntry("target", "calls:" + callId)
			.containsEntry("reason", "demo")
			.containsEntry("result", "changed"));
		assertThat(actions).anySatisfy((data) -> assertThat(data).containsEntry("verb", "abort")
			.containsEntry("target", "calls:" + callId)
			.containsEntry("result", "changed"));
		assertThat(actions).anySatisfy((data) -> assertThat(data).containsEntry("verb", "bogus")
			.containsEntry("target", "proxies:quotes")
			.containsEntry("status", 400));
	}

	@Test
	void abandonedReportReleasesItsCallerWhileItsIoStaysListed() {
		String callId = startSlowReport();

		Answer abandon = cancelCall(callId, "abandon");
		assertThat(abandon.status()).isEqualTo(200);
		assertThat(abandon.json()).containsEntry("done", true);

		await().atMost(Duration.ofSeconds(1)).until(() -> "ABANDONED".equals(reportStatus(callId)));
		Map<String, Object> call = listedCall(callId);
		assertThat(call).isNotNull().containsEntry("abandoned", true).containsEntry("outcome", "ABANDONED");

		Answer again = cancelCall(callId, "abandon");
		assertThat(again.status()).isEqualTo(409);
	}

	@Test
	void abortedReportEndsItsIo() {
		String callId = startSlowReport();

		Answer abort = cancelCall(callId, "abort");
		assertThat(abort.status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(1)).until(() -> "ABORTED".equals(reportStatus(callId)));
		await().atMost(Duration.ofSeconds(5)).until(() -> listedCall(callId) == null);
		// The abort closed the socket and sent the host an explicit cancel: the quotes
		// host cancelled the operation for whichever reached it first.
		await().atMost(Duration.ofSeconds(5)).until(() -> cancellationOf(callId) != null);
		assertThat(cancellationOf(callId).get("reason")).isIn(CALLER_CANCELLED, CALLER_GONE);
	}

	@Test
	void anAbandonedReportGoesOnOnTheServerUntilItsChannelIsAborted() {
		String callId = startSlowReport();
		assertThat(cancelCall(callId, "abandon").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(1)).until(() -> "ABANDONED".equals(reportStatus(callId)));
		assertThat(cancellationOf(callId)).isNull();

		Answer abort = cancelCall(callId, "abort");
		assertThat(abort.status())
			.as("abort answered %s; the server's cancellations: %s", abort.text(),
					exchange(HttpMethod.GET, "/demo/server/cancellations").text())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> cancellationOf(callId) != null);
		assertThat(cancellationOf(callId).get("reason")).isIn(CALLER_CANCELLED, CALLER_GONE);
		await().atMost(Duration.ofSeconds(5)).until(() -> listedCall(callId) == null);
	}

	/** The host heard the proxy's explicit cancel first. */
	private static final String CALLER_CANCELLED = "CALLER_CANCELLED";

	/** The host saw the closed socket first. */
	private static final String CALLER_GONE = "CALLER_GONE";

	@SuppressWarnings("unchecked")
	private Map<String, Object> cancellationOf(String callId) {
		Answer answer = exchange(HttpMethod.GET, "/demo/server/cancellations");
		assertThat(answer.status()).isEqualTo(200);
		List<Map<String, Object>> cancellations = (List<Map<String, Object>>) answer.list();
		return cancellations.stream()
			.filter((cancellation) -> callId.equals(cancellation.get("callerCallId")))
			.findFirst()
			.orElse(null);
	}

	@Test
	void unknownCallIsNotFound() {
		Answer answer = asOperator(HttpMethod.DELETE, "/demo/calls/c-unknown?mode=abort");
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.json()).containsKey("error");
		assertThat(exchange(HttpMethod.GET, "/demo/reports/c-unknown").status()).isEqualTo(404);
	}

	@Test
	void abortedProxyRefusesCallsUntilResetAndOpened() {
		String callId = startSlowReport();

		Answer abort = asOperator(HttpMethod.POST, "/demo/proxy/abort");
		assertThat(abort.status()).isEqualTo(200);
		assertThat(abort.json()).containsEntry("changed", true)
			.containsEntry("previousState", "OPEN")
			.containsEntry("state", "FAULTED");
		await().atMost(Duration.ofSeconds(1)).until(() -> "ABORTED".equals(reportStatus(callId)));

		Answer refused = exchange(HttpMethod.POST, "/demo/quotes/ACME");
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.json()).containsEntry("outcome", "REJECTED");
		assertThat((String) refused.json().get("error")).contains("'quotes'").contains("FAULTED");

		Answer openTooEarly = asOperator(HttpMethod.POST, "/demo/proxy/open");
		assertThat(openTooEarly.status()).isEqualTo(409);
		assertThat(openTooEarly.json()).containsEntry("state", "FAULTED");

		assertThat(asOperator(HttpMethod.POST, "/demo/proxy/reset").json()).containsEntry("state", "CREATED");
		assertThat(asOperator(HttpMethod.POST, "/demo/proxy/open").json()).containsEntry("state", "OPEN");
		assertThat(exchange(HttpMethod.GET, "/demo/proxy").json()).containsEntry("name", "quotes")
			.containsEntry("state", "OPEN");
		assertThat(exchange(HttpMethod.POST, "/demo/quotes/GLOBEX").status()).isEqualTo(200);
	}

	private String startSlowReport() {
		Answer started = exchange(HttpMethod.POST, SLOW_REPORT);
		assertThat(started.status()).isEqualTo(202);
		assertThat(started.json()).containsEntry("status", "RUNNING");
		String callId = (String) started.json().get("callId");
		await().atMost(Duration.ofSeconds(5)).until(() -> listedCall(callId) != null);
		return callId;
	}

	@SuppressWarnings("unchecked")
	private String reportStatus(String callId) {
		Answer answer = exchange(HttpMethod.GET, "/demo/reports/" + callId);
		assertThat(answer.status()).isEqualTo(200);
		return (String) ((Map<String, Object>) answer.json().get("report")).get("status");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> listedCall(String callId) {
		List<Map<String, Object>> calls = this.http.get().uri("/demo/calls").retrieve().body(List.class);
		assertThat(calls).isNotNull();
		return calls.stream().filter((call) -> callId.equals(call.get("id"))).findFirst().orElse(null);
	}

	private Answer cancelCall(String callId, String mode) {
		return asOperator(HttpMethod.DELETE, "/demo/calls/" + callId + "?mode=" + mode);
	}

	private Answer exchange(HttpMethod method, String path) {
		return exchange(method, path, null);
	}

	private Answer asOperator(HttpMethod method, String path) {
		return exchange(method, path, "operator");
	}

	private Answer exchange(HttpMethod method, String path, String user) {
		return this.http.method(method).uri(path).headers((headers) -> {
			if (user != null) {
				headers.setBasicAuth(user, user);
			}
		}).exchange((request, response) -> {
			String body = response.bodyTo(String.class);
			return new Answer(response.getStatusCode().value(), (body != null) ? body : "",
					response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE));
		});
	}

	private record Answer(int status, String text, String challenge) {

		@SuppressWarnings("unchecked")
		Map<String, Object> json() {
			return JSON.readValue(this.text, Map.class);
		}

		List<?> list() {
			return JSON.readValue(this.text, List.class);
		}

	}

}
