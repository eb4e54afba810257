package io.github.cancellablesoap.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.cancellablesoap.test.LocalMisbehavingSoapService;
import io.github.cancellablesoap.test.MisbehavingSoapService;
import io.github.cancellablesoap.test.SoapBehaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The front end facing a hostile quotes service: the {@code quotes} proxy points at a
 * misbehaving SOAP service on loopback that answers every request with a SOAP fault whose
 * fault string carries markup, line breaks, invisible characters and 100,000 more
 * characters. None of it may reach the front end's caller; the log gets it on one bounded
 * line.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DemoRemoteFaultTests {

	private static final String MARKUP = "<script>alert(1)</script>";

	/** Starts a forged log line, after a line break the fault string carries. */
	private static final String FORGED = "FORGED-LOG-LINE ERROR everything is broken";

	private static final String HOSTILE_TEXT = MARKUP + "\r\n" + FORGED + "\u0085\u2028\u202E" + "x".repeat(100_000);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final LocalMisbehavingSoapService hostileService = startHostileService();

	@DynamicPropertySource
	static void quotesAddress(DynamicPropertyRegistry registry) {
		registry.add("cancellable-soap.proxies.quotes.address", () -> hostileService.uri("/soap/quotes").toString());
	}

	@AfterAll
	static void stopHostileService() {
		hostileService.close();
	}

	@LocalServerPort
	private int port;

	@Test
	void aQuoteFaultAnswersAFixedMessageWithTheCallIdAndLogsTheRemoteTextCleaned(CapturedOutput output)
			throws Exception {
		HttpResponse<String> quote = post("/demo/quotes/ACME");

		assertThat(hostileService.requests()).as("the hostile service answered").isNotEmpty();
		assertThat(quote.statusCode()).isEqualTo(502);
		assertNothingRemote(quote.body());
		Map<String, Object> body = json(quote.body());
		assertThat(body).containsEntry("outcome", "FAULT");
		String callId = (String) body.get("callId");
		assertThat(callId).startsWith("c-");
		assertThat((String) body.get("error")).contains("SOAP fault").contains(callId);

		await().atMost(Duration.ofSeconds(5)).until(() -> logLine(output, callId) != null);
		assertLoggedCleanedAndBounded(output, callId);
	}

	@Test
	void aReportFaultIsRecordedWithAFixedMessage(CapturedOutput output) throws Exception {
		HttpResponse<String> started = post("/demo/reports?delayMs=10");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		String callId = (String) json(started.body()).get("callId");

		await().atMost(Duration.ofSeconds(10)).until(() -> !"RUNNING".equals(report(callId).get("status")));
		Map<String, Object> report = report(callId);
		assertThat(report).containsEntry("status", "FAULT");
		assertThat((String) report.get("error")).contains("SOAP fault").contains(callId);
		assertNothingRemote(get("/demo/reports/" + callId).body());
		assertLoggedCleanedAndBounded(output, callId);
	}

	private static void assertNothingRemote(String body) {
		assertThat(body).doesNotContain(MARKUP)
			.doesNotContain("script")
			.doesNotContain(FORGED)
			.doesNotContain("xxxxxxxxxx")
			.doesNotContain("\u2028")
			.doesNotContain("\u202E");
		assertThat(body.length()).isLessThan(1000);
	}

	private static void assertLoggedCleanedAndBounded(CapturedOutput output, String callId) {
		String line = logLine(output, callId);
		assertThat(line).as("the log line of %s", callId).isNotNull();
		assertThat(line).contains(MARKUP)
			.contains(FORGED)
			.contains("characters in all)")
			.doesNotContain("\u0085")
			.doesNotContain("\u2028")
			.doesNotContain("\u202E")
			.doesNotContain("\r");
		assertThat(line.length()).isLessThan(1500);
		assertThat(output.getOut().lines()).noneMatch((logged) -> logged.startsWith(FORGED));
	}

	private static String logLine(CapturedOutput output, String callId) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("Call " + callId + " to the quotes service ended with FAULT"))
			.findFirst()
			.orElse(null);
	}

	private Map<String, Object> report(String callId) throws Exception {
		@SuppressWarnings("unchecked")
		Map<String, Object> report = (Map<String, Object>) json(get("/demo/reports/" + callId).body()).get("report");
		return report;
	}

	private HttpResponse<String> post(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(String text) {
		return JSON.readValue(text, Map.class);
	}

	private static LocalMisbehavingSoapService startHostileService() {
		LocalMisbehavingSoapService service = MisbehavingSoapService.start();
		service.setDefaultBehaviour(SoapBehaviour.fault(HOSTILE_TEXT));
		return service;
	}

}
