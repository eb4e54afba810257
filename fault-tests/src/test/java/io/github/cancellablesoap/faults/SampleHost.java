package io.github.cancellablesoap.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample application as a SOAP host in a container, shared by the fault tests of this
 * JVM (started at first use, removed when the test run ends), and what its host says over
 * HTTP: the operations in flight (actuator {@code soapcalls}) and the report operations
 * it cancelled ({@code /demo/server/cancellations}).
 * <p>
 * Thread-safe.
 */
final class SampleHost {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private SampleHost() {
	}

	/**
	 * The shared host container, started at first use and stopped, its log saved to
	 * {@code target/<name>.log}, when the test run ends: it is kept in JUnit's root
	 * store, which closes it while the engine still runs (a JVM shutdown hook came too
	 * late: Testcontainers' own hook could remove the container first, and the log was
	 * lost).
	 * @param context any extension context of the run
	 * @return the running container
	 */
	static FaultContainer container(ExtensionContext context) {
		return context.getRoot()
			.getStore(ExtensionContext.Namespace.create(SampleHost.class))
			.computeIfAbsent("container", (key) -> {
				FaultContainer container = create("sample-host");
				container.start();
				return container;
			}, FaultContainer.class);
	}

	/**
	 * A sample application container, not started.
	 * @param role its role, in its name
	 * @param arguments more application arguments
	 * @return the container
	 */
	static FaultContainer create(String role, String... arguments) {
		return FaultContainer.create(role, FaultImages.sample(), 8080,
				Wait.forHttp("/actuator/health").forPort(8080).withStartupTimeout(Duration.ofSeconds(120)),
				(container) -> {
					String[] command = new String[arguments.length + 1];
					command[0] = "--server.port=8080";
					System.arraycopy(arguments, 0, command, 1, arguments.length);
					container.withCommand(command);
				});
	}

	static URI soapAddress(int port) {
		return URI.create("http://127.0.0.1:" + port + "/soap/quotes");
	}

	/**
	 * The report operations the sample's host cancelled, newest first.
	 * @param port the port the sample listens on
	 * @return operation id, caller call id, reason, time
	 */
	static List<Map<String, Object>> cancellations(int port) {
		return JSON.readValue(get(port, "/demo/server/cancellations", null).body(), new TypeReference<>() {
		});
	}

	/**
	 * The reason the host cancelled the operation of a caller's call with, if it did.
	 * @param port the port the sample listens on
	 * @param callerCallId the caller's call id
	 * @return the reason
	 */
	static Optional<String> cancelReason(int port, String callerCallId) {
		return cancellations(port).stream()
			.filter((cancellation) -> callerCallId.equals(cancellation.get("callerCallId")))
			.map((cancellation) -> (String) cancellation.get("reason"))
			.findFirst();
	}

	/**
	 * The ids of the host's operations in flight for a caller's call (actuator
	 * {@code soapcalls}, as the demo's viewer).
	 * @param port the port the sample listens on
	 * @param callerCallId the caller's call id
	 * @return operation ids
	 */
	static List<String> operations(int port, String callerCallId) {
		Answer response = get(port, "/actuator/soapcalls/hosts/quotes?callerCallId=" + callerCallId, "viewer:viewer");
		Map<String, Object> host = JSON.readValue(response.body(), new TypeReference<>() {
		});
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> operations = (List<Map<String, Object>>) host.getOrDefault("operations", List.of());
		return operations.stream().map((operation) -> (String) operation.get("id")).toList();
	}

	/**
	 * Cancel a host operation as the demo's operator.
	 * @param port the port the sample listens on
	 * @param operationId the operation
	 * @return the HTTP status
	 */
	static int cancelOperation(int port, String operationId) {
		return send(port, "DELETE", "/actuator/soapcalls/operations/" + operationId + "?reason=test",
				"operator:operator")
			.status();
	}

	static Answer get(int port, String path, String credentials) {
		return send(port, "GET", path, credentials);
	}

	static Answer post(int port, String path) {
		return send(port, "POST", path, null);
	}

	static Map<String, Object> json(Answer answer) {
		return JSON.readValue(answer.body(), new TypeReference<>() {
		});
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/**
	 * One request on a connection of its own, closed after the answer, so that the fault
	 * tests' socket counts see only the proxies' connections.
	 */
	private static Answer send(int port, String method, String path, String credentials) {
		try {
			HttpURLConnection connection = (HttpURLConnection) uri(port, path).toURL().openConnection();
			connection.setRequestMethod(method);
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(10000);
			connection.setRequestProperty("Connection", "close");
			if (credentials != null) {
				connection.setRequestProperty("Authorization",
						"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
			}
			try {
				int status = connection.getResponseCode();
				InputStream body = (status < 400) ? connection.getInputStream() : connection.getErrorStream();
				return new Answer(status,
						(body != null) ? new String(body.readAllBytes(), StandardCharsets.UTF_8) : "");
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An HTTP answer.
	 *
	 * @param status the status
	 * @param body the body
	 */
	record Answer(int status, String body) {

	}

}
