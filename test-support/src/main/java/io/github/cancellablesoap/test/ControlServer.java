package io.github.cancellablesoap.test;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;

/**
 * The control port of an out-of-process {@link MisbehavingSoapService}: a small HTTP
 * protocol, one text line per item, through which a {@link RemoteMisbehavingSoapService}
 * scripts the service and reads its records. The protocol is described in the module's
 * README; every body is at most 1 MiB and every line is checked, with a {@code 400} that
 * names what is wrong.
 * <p>
 * Served by a {@link ScriptedHttpServer}, one thread per control connection; an await
 * ({@code ?wait=} in milliseconds, at most ten minutes) blocks only its own connection.
 * Thread-safe.
 */
final class ControlServer implements AutoCloseable {

	static final int MAX_BODY_BYTES = 1024 * 1024;

	static final long MAX_WAIT_MILLIS = Duration.ofMinutes(10).toMillis();

	/**
	 * The body bytes a page of {@code GET /requests} carries at most (beyond its first
	 * request): the record is read in pages so that no answer holds every body at once.
	 */
	static final long PAGE_BODY_BYTES = 2L * 1024 * 1024;

	/** The most requests in a page of {@code GET /requests}. */
	static final int MAX_PAGE_REQUESTS = 1000;

	private static final String TEXT = "text/plain; charset=utf-8";

	private static final Set<String> SCRIPT_FIELDS = scriptFields();

	private final LocalMisbehavingSoapService service;

	private final ScriptedHttpServer server;

	ControlServer(LocalMisbehavingSoapService service, InetAddress bindAddress, int port) {
		this.service = service;
		this.server = ScriptedHttpServer.builder()
			.bindAddress(bindAddress)
			.port(port)
			.maxRequestBodyBytes(MAX_BODY_BYTES)
			.maxRequestsKeptPerConnection(0)
			.behaviourChooser(this::handle)
			.start();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.close();
	}

	private Behaviour handle(RecordedRequest request, ServerConnection connection) {
		try {
			return Behaviour.respond(200, TEXT, answer(request));
		}
		catch (NotFound ex) {
			return Behaviour.respond(404, TEXT, ex.getMessage() + "\n");
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return Behaviour.respond(400, TEXT, ex.getMessage() + "\n");
		}
		catch (AssertionError ex) {
			return Behaviour.respond(408, TEXT, ex.getMessage() + "\n");
		}
	}

	private String answer(RecordedRequest request) {
		String target = request.target();
		int question = target.indexOf('?');
		String path = (question >= 0) ? target.substring(0, question) : target;
		Map<String, String> query = query((question >= 0) ? target.substring(question + 1) : "");
		String[] segments = path.substring(1).split("/");
		String method = request.method();
		switch (segments[0]) {
			case "ready":
				requireMethod(method, "GET");
				return "ready soap-port=" + this.service.port() + "\n";
			case "script":
				requireMethod(method, "POST");
				enqueue(request.body());
				return "queued\n";
			case "default":
				requireMethod(method, "PUT");
				this.service.setDefaultBehaviour(SoapBehaviour.parse(singleLine(request.body())));
				return "default set\n";
			case "accepting":
				requireMethod(method, "PUT");
				boolean accepting = parseBoolean(singleLine(request.body()));
				this.service.setAccepting(accepting);
				return "accepting " + accepting + "\n";
			case "reset":
				requireMethod(method, "POST");
				this.service.reset();
				return "reset\n";
			case "requests":
				requireMethod(method, "GET");
				if (segments.length == 1) {
					return lines(this.service
						.requests(number(query, "from", 0, Integer.MAX_VALUE), PAGE_BODY_BYTES,
								number(query, "limit", MAX_PAGE_REQUESTS, MAX_PAGE_REQUESTS))
						.stream()
						.map(SoapRequest::toLine)
						.toList());
				}
				return this.service.awaitRequest(index(segments[1]), await(query)).toLine() + "\n";
			case "connections":
				requireMethod(method, "GET");
				return connections(segments, query);
			case "no-open-connection":
				requireMethod(method, "GET");
				this.service.awaitNoOpenConnection(await(query));
				return "none open\n";
			default:
				throw new NotFound("No control resource " + path);
		}
	}

	private String connections(String[] segments, Map<String, String> query) {
		if (segments.length == 1) {
			return lines(this.service.connections().stream().map(SoapConnection::toLine).toList());
		}
		int index = index(segments[1]);
		if (segments.length == 2) {
			return this.service.awaitConnection(index, await(query)).toLine() + "\n";
		}
		if (segments.length == 3 && segments[2].equals("closed-by-client")) {
			return this.service.awaitClosedByClient(index, await(query)).toLine() + "\n";
		}
		throw new NotFound("No control resource under /connections/" + index);
	}

	/**
	 * Queue every line of a script, or none when one is wrong.
	 */
	private void enqueue(String body) {
		List<RequestMatcher> matchers = new ArrayList<>();
		List<SoapBehaviour> behaviours = new ArrayList<>();
		String[] lines = body.split("\r?\n");
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].isBlank()) {
				continue;
			}
			try {
				WireLine line = WireLine.parse(lines[i], SCRIPT_FIELDS);
				matchers.add(new RequestMatcher(line.get("when-action"), line.get("when-path")));
				behaviours.add(SoapBehaviour.parse(line));
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new IllegalArgumentException("Script line " + (i + 1) + ": " + ex.getMessage(), ex);
			}
		}
		this.service.enqueueAll(matchers, behaviours);
	}

	static String scriptLine(RequestMatcher matcher, SoapBehaviour behaviour) {
		WireLine.Builder line = behaviour.fields(WireLine.builder(behaviour.word()));
		return line.add("when-action", matcher.soapAction()).add("when-path", matcher.path()).toString();
	}

	private static Set<String> scriptFields() {
		Set<String> fields = new HashSet<>(SoapBehaviour.fieldNames());
		fields.add("when-action");
		fields.add("when-path");
		return Set.copyOf(fields);
	}

	private static String singleLine(String body) {
		String trimmed = body.strip();
		if (trimmed.isEmpty() || trimmed.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("Expected exactly one line, got " + trimmed.lines().count());
		}
		return trimmed;
	}

	private static boolean parseBoolean(String value) {
		if (!value.equals("true") && !value.equals("false")) {
			throw new IllegalArgumentException("Expected true or false, got '" + value + "'");
		}
		return Boolean.parseBoolean(value);
	}

	private static void requireMethod(String method, String expected) {
		if (!method.equals(expected)) {
			throw new IllegalArgumentException("Use " + expected + " here, not " + method);
		}
	}

	private static int index(String segment) {
		try {
			int index = Integer.parseInt(segment);
			if (index < 0) {
				throw new IllegalArgumentException("An index is zero or more, got " + index);
			}
			return index;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not an index: '" + segment + "'", ex);
		}
	}

	private static int number(Map<String, String> query, String name, int defaultValue, int max) {
		String value = query.get(name);
		if (value == null) {
			return defaultValue;
		}
		try {
			int number = Integer.parseInt(value);
			if (number < 0 || number > max) {
				throw new IllegalArgumentException(name + " is 0 to " + max + ", got " + number);
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " is a number, got '" + value + "'", ex);
		}
	}

	private static Duration await(Map<String, String> query) {
		String wait = query.get("wait");
		if (wait == null) {
			return Duration.ZERO;
		}
		long millis;
		try {
			millis = Long.parseLong(wait);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("wait is a number of milliseconds, got '" + wait + "'", ex);
		}
		if (millis < 0 || millis > MAX_WAIT_MILLIS) {
			throw new IllegalArgumentException("wait is 0 to " + MAX_WAIT_MILLIS + " milliseconds, got " + millis);
		}
		return Duration.ofMillis(millis);
	}

	private static Map<String, String> query(String query) {
		Map<String, String> parameters = new TreeMap<>();
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			String value = (equals >= 0) ? pair.substring(equals + 1) : "";
			parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return parameters;
	}

	private static String lines(List<String> lines) {
		return lines.stream().map((line) -> line + "\n").collect(Collectors.joining());
	}

	/**
	 * No such control resource.
	 */
	private static final class NotFound extends RuntimeException {

		NotFound(String message) {
			super(message);
		}

	}

}
