package io.github.cancellablesoap.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's walkthrough, as a newcomer follows it: the packaged jar runs as a separate
 * process on a free port, and every step is driven and checked over HTTP only.
 */
class SampleWalkthroughIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static Process application;

	private static String base;

	@BeforeAll
	static void startTheSample() throws IOException {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("the sample jar, built by the package phase").isNotNull();
		assertThat(new File(jar)).exists();
		int port = freePort();
		base = "http://127.0.0.1:" + port;
		Path log = Path.of("target", "sample-walkthrough.log");
		application = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar, "--server.port=" + port)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> application.isAlive() && get("/actuator/health").statusCode() == 200);
	}

	@AfterAll
	static void stopTheSample() throws InterruptedException {
		if (application != null) {
			application.destroy();
			if (!application.waitFor(30, TimeUnit.SECONDS)) {
				application.destroyForcibly();
			}
		}
	}

	@Test
	void theWalkthroughWorksAsWritten() throws Exception {
		HttpResponse<String> wsdl = get("/ws/quotes.wsdl");
		assertThat(wsdl.statusCode()).isEqualTo(200);
		assertThat(wsdl.body()).contains("GetReport").contains(base + "/soap/quotes");

		Map<String, Object> quote = json(post("/demo/quotes/ACME"));
		assertThat(quote).containsEntry("symbol", "ACME").containsKey("callId");

		// A slow report, listed while it waits for the service.
		String abandoned = (String) json(post("/demo/reports?delayMs=60000")).get("callId");
		await().atMost(Duration.ofSeconds(5)).until(() -> "WAITING_FOR_RESPONSE".equals(call(abandoned).get("phase")));

		// Abandon: the caller is released, the I/O goes on and stays listed, the server
		// is untouched.
		// The verbs are operator actions: the demo's operator user runs them.
		assertThat(delete("/demo/calls/" + abandoned + "?mode=abandon").statusCode()).as("anonymous").isEqualTo(401);
		assertThat(asOperator(cancelCall(abandoned, "abandon")).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(1)).until(() -> "ABANDONED".equals(reportStatus(abandoned)));
		assertThat(call(abandoned)).containsEntry("abandoned", true).containsEntry("outcome", "ABANDONED");
		assertThat(serverCancellation(abandoned)).isNull();

		// Abort its channel: the socket closes and the host is sent an explicit cancel;
		// the host cancels the operation for whichever reaches it first.
		assertThat(asOperator(cancelCall(abandoned, "abort")).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> serverCancellation(abandoned) != null);
		assertThat(serverCancellation(abandoned).get("reason")).isIn("CALLER_CANCELLED", "CALLER_GONE");
		await().atMost(Duration.ofSeconds(5)).until(() -> call(abandoned).isEmpty());

		// Abort the proxy with a call in flight: the caller fails, the server operation
		// is
		// cancelled, the proxy refuses calls until it is reset and opened.
		String aborted = (String) json(post("/demo/reports?delayMs=60000")).get("callId");
		await().atMost(Duration.ofSeconds(5)).until(() -> "WAITING_FOR_RESPONSE".equals(call(aborted).get("phase")));
		assertThat(post("/demo/proxy/abort").statusCode()).as("anonymous").isEqualTo(401);
		Map<String, Object> proxyAbort = json(asOperator(postRequest("/demo/proxy/abort")));
		assertThat(proxyAbort).containsEntry("previousState", "OPEN").containsEntry("state", "FAULTED");
		await().atMost(Duration.ofSeconds(1)).until(() -> "ABORTED".equals(reportStatus(aborted)));
		await().atMost(Duration.ofSeconds(5)).until(() -> serverCancellation(aborted) != null);
		assertThat(serverCancellation(aborted).get("reason")).isIn("CALLER_CANCELLED", "CALLER_GONE");
		HttpResponse<String> refused = post("/demo/quotes/ACME");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("FAULTED");

		assertThat(json(asOperator(postRequest("/demo/proxy/reset")))).containsEntry("state", "CREATED");
		assertThat(json(asOperator(postRequest("/demo/proxy/open")))).containsEntry("state", "OPEN");
		assertThat(post("/demo/quotes/ACME").statusCode()).isEqualTo(200);

		// Every verb was audited under the operator's name.
		HttpResponse<String> audit = asOperator(
				HttpRequest.newBuilder(URI.create(base + "/actuator/auditevents?type=SOAP_OPERATOR_ACTION")));
		assertThat(audit.statusCode()).isEqualTo(200);
		assertThat(audit.body()).contains("\"principal\":\"operator\"")
			.contains("calls:" + abandoned)
			.contains("proxies:quotes");
		assertThat(as("viewer",
				HttpRequest.newBuilder(URI.create(base + "/actuator/auditevents?type=SOAP_OPERATOR_ACTION")))
			.statusCode()).as("the audit trail is for operators").isEqualTo(403);
	}

	@Test
	void operatorsWatchAndActThroughTheSoapcallsEndpoint() throws Exception {
		assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/soapcalls")).GET()).statusCode())
			.as("the operator endpoint needs a user")
			.isEqualTo(401);
		HttpResponse<String> overview = as("viewer", HttpRequest.newBuilder(URI.create(base + "/actuator/soapcalls")));
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat(overview.body()).contains("\"quotes\"");

		String callId = (String) json(post("/demo/reports?delayMs=60000")).get("callId");
		await().atMost(Duration.ofSeconds(5)).until(() -> "WAITING_FOR_RESPONSE".equals(call(callId).get("phase")));
		HttpResponse<String> listing = as("viewer",
				HttpRequest.newBuilder(URI.create(base + "/actuator/soapcalls/proxies/quotes")));
		assertThat(listing.body()).contains(callId);

		URI abandon = URI.create(base + "/actuator/soapcalls/calls/" + callId + "?mode=abandon&reason=demo");
		assertThat(as("viewer", HttpRequest.newBuilder(abandon).DELETE()).statusCode())
			.as("writes need the operator role")
			.isEqualTo(403);
		HttpResponse<String> abandoned = as("operator", HttpRequest.newBuilder(abandon).DELETE());
		assertThat(abandoned.statusCode()).isEqualTo(200);
		assertThat(json(abandoned)).containsEntry("outcome", "changed");
		await().atMost(Duration.ofSeconds(1)).until(() -> "ABANDONED".equals(reportStatus(callId)));

		URI abort = URI.create(base + "/actuator/soapcalls/calls/" + callId + "?mode=abort&reason=demo");
		assertThat(as("operator", HttpRequest.newBuilder(abort).DELETE()).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> serverCancellation(callId) != null);
		Object reason = serverCancellation(callId).get("reason");
		assertThat(reason).isIn("CALLER_CANCELLED", "CALLER_GONE");

		HttpResponse<String> metrics = get("/actuator/metrics/soap.client.calls?tag=outcome:ABANDONED");
		assertThat(metrics.statusCode()).isEqualTo(200);
		HttpResponse<String> serverMetrics = get(
				"/actuator/metrics/soap.server.operations?tag=cancel.reason:" + reason);
		assertThat(serverMetrics.statusCode()).isEqualTo(200);
	}

	private static HttpResponse<String> asOperator(HttpRequest.Builder request) throws Exception {
		return as("operator", request);
	}

	private static HttpRequest.Builder cancelCall(String callId, String mode) {
		return HttpRequest.newBuilder(URI.create(base + "/demo/calls/" + callId + "?mode=" + mode)).DELETE();
	}

	private static HttpRequest.Builder postRequest(String path) {
		return HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
	}

	private static HttpResponse<String> as(String user, HttpRequest.Builder request) throws Exception {
		String credentials = java.util.Base64.getEncoder()
			.encodeToString((user + ":" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return send(request.header("Authorization", "Basic " + credentials));
	}

	private static Map<String, Object> call(String callId) throws Exception {
		List<Map<String, Object>> calls = list(get("/demo/calls"));
		return calls.stream().filter((call) -> callId.equals(call.get("id"))).findFirst().orElse(Map.of());
	}

	@SuppressWarnings("unchecked")
	private static String reportStatus(String callId) throws Exception {
		Map<String, Object> report = (Map<String, Object>) json(get("/demo/reports/" + callId)).get("report");
		return (String) report.get("status");
	}

	private static Map<String, Object> serverCancellation(String callId) throws Exception {
		return list(get("/demo/server/cancellations")).stream()
			.filter((cancellation) -> callId.equals(cancellation.get("callerCallId")))
			.findFirst()
			.orElse(null);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
		return JSON.readValue(response.body(), Map.class);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readValue(response.body(), List.class);
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	private static HttpResponse<String> post(String path) throws Exception {
		return send(postRequest(path));
	}

	private static HttpResponse<String> delete(String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
