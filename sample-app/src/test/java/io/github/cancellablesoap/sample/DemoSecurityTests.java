package io.github.cancellablesoap.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's security over real HTTP, with the REST abort controller enabled at its
 * default path: the controller takes the same rules as the {@code soapcalls} endpoint,
 * and no API request, refused or not, creates an HTTP session.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = "cancellable-soap.controller.enabled=true")
@ContextConfiguration(initializers = FreeServerPort.class)
class DemoSecurityTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String ABANDON_ALL = "{\"action\":\"abandon-all\",\"reason\":\"test\"}";

	@LocalServerPort
	private int port;

	@Test
	void theControllerTakesTheSameRulesAsTheActuatorEndpoint() throws Exception {
		for (String base : List.of("/soapcalls", "/actuator/soapcalls")) {
			HttpResponse<String> anonymous = send("GET", base, null, null);
			assertThat(anonymous.statusCode()).as("anonymous GET %s", base).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic"));

			HttpResponse<String> read = send("GET", base, "viewer", null);
			assertThat(read.statusCode()).as("viewer GET %s: %s", base, read.body()).isEqualTo(200);
			assertThat(read.body()).contains("\"quotes\"");
			assertThat(send("GET", base + "/proxies/quotes", "viewer", null).statusCode()).isEqualTo(200);

			String proxy = base + "/proxies/quotes";
			assertThat(send("POST", proxy, null, ABANDON_ALL).statusCode()).as("anonymous POST %s", proxy)
				.isEqualTo(401);
			assertThat(send("POST", proxy, "viewer", ABANDON_ALL).statusCode()).as("viewer POST %s", proxy)
				.isEqualTo(403);
			assertThat(send("DELETE", base + "/calls/c-1", "viewer", null).statusCode()).isEqualTo(403);
			HttpResponse<String> write = send("POST", proxy, "operator", ABANDON_ALL);
			assertThat(write.statusCode()).as("operator POST %s: %s", proxy, write.body()).isEqualTo(200);
			assertThat(write.body()).contains("\"action\":\"abandon-all\"");
		}
	}

	@Test
	void noApiRequestCreatesASession() throws Exception {
		assertNoSession(send("GET", "/actuator/soapcalls", null, null), 401);
		assertNoSession(send("GET", "/soapcalls", null, null), 401);
		assertNoSession(send("DELETE", "/demo/calls/c-1", null, null), 401);
		assertNoSession(send("POST", "/demo/proxy/abort", null, null), 401);
		assertNoSession(send("POST", "/soapcalls/proxies/quotes", "viewer", ABANDON_ALL), 403);
		assertNoSession(send("GET", "/actuator/soapcalls", "wrong", null), 401);

		assertNoSession(send("GET", "/actuator/soapcalls", "viewer", null), 200);
		assertNoSession(send("GET", "/soapcalls/hosts/quotes", "viewer", null), 200);
		assertNoSession(send("POST", "/soapcalls/proxies/quotes", "operator", ABANDON_ALL), 200);
		assertNoSession(send("DELETE", "/demo/calls/c-1", "operator", null), 404);
		assertNoSession(send("GET", "/demo/calls", null, null), 200);
		assertNoSession(send("GET", "/actuator/health", null, null), 200);
	}

	private static void assertNoSession(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.uri(), response.body())
			.isEqualTo(status);
		assertThat(response.headers().allValues("Set-Cookie"))
			.as("cookies of %s %s", response.request().method(), response.uri())
			.noneSatisfy((cookie) -> assertThat(cookie).containsIgnoringCase("JSESSIONID"));
	}

	private HttpResponse<String> send(String method, String path, String user, String json)
			throws IOException, InterruptedException {
		BodyPublisher body = (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, body);
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (user != null) {
			String credentials = user + ":" + (user.equals("wrong") ? "nope" : user);
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
