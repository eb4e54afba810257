package io.github.cancellablesoap.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link MisbehavingSoapService} that runs in another process or a container
 * ({@link MisbehavingSoapServiceMain}), driven through its control port: the same API as
 * the in-process service, given the host and the two ports the test reaches it on (for a
 * container, its mapped ports).
 * <p>
 * Every method is one HTTP exchange with the control port (JDK {@link HttpClient},
 * HTTP/1.1); an await is answered by the service when what it waits for happens or its
 * timeout passes, so nothing here polls. A control exchange that fails (the service is
 * gone, paused, or refused the input) throws an {@link IllegalStateException} saying so;
 * an await that times out throws the {@link AssertionError} the service worded.
 * <p>
 * Thread-safe: every method may be called from any thread.
 *
 * @author Cancellable SOAP
 */
public final class RemoteMisbehavingSoapService implements MisbehavingSoapService {

	/** How long a control exchange may take beyond the await it carries. */
	private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The longest control answer read: a page of requests (two MiB of bodies beyond its
	 * first, base64) stays far below it.
	 */
	static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

	private final String host;

	private final int soapPort;

	private final URI control;

	private final HttpClient client;

	/**
	 * A client of the service at {@code host}, with its SOAP and control ports.
	 * @param host the host the test reaches the service on, for example {@code localhost}
	 * or a container's host
	 * @param soapPort the SOAP port (mapped, for a container)
	 * @param controlPort the control port (mapped, for a container)
	 */
	public RemoteMisbehavingSoapService(String host, int soapPort, int controlPort) {
		this.host = Objects.requireNonNull(host, "host");
		this.soapPort = checkPort(soapPort);
		this.control = URI.create("http://" + host + ":" + checkPort(controlPort) + "/");
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(CONTROL_TIMEOUT)
			.build();
	}

	private static int checkPort(int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("A port is 1 to 65535, got " + port);
		}
		return port;
	}

	/**
	 * Whether the service answers on its control port.
	 * @return {@code true} when it answered that it is ready
	 */
	public boolean isReady() {
		try {
			return exchange("GET", "ready", null, Duration.ZERO).startsWith("ready");
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	@Override
	public String host() {
		return this.host;
	}

	@Override
	public int port() {
		return this.soapPort;
	}

	@Override
	public void enqueue(SoapBehaviour... behaviours) {
		StringBuilder script = new StringBuilder();
		for (SoapBehaviour behaviour : behaviours) {
			script.append(ControlServer.scriptLine(RequestMatcher.any(), behaviour)).append('\n');
		}
		exchange("POST", "script", script.toString(), Duration.ZERO);
	}

	@Override
	public void enqueue(RequestMatcher matcher, SoapBehaviour behaviour) {
		exchange("POST", "script", ControlServer.scriptLine(matcher, behaviour) + "\n", Duration.ZERO);
	}

	@Override
	public void setDefaultBehaviour(SoapBehaviour behaviour) {
		exchange("PUT", "default", behaviour.toLine() + "\n", Duration.ZERO);
	}

	@Override
	public void setAccepting(boolean accepting) {
		exchange("PUT", "accepting", accepting + "\n", Duration.ZERO);
	}

	@Override
	public List<SoapRequest> requests() {
		// In pages, so that neither side holds every body in one answer.
		List<SoapRequest> requests = new ArrayList<>();
		while (true) {
			List<SoapRequest> page = exchange("GET", "requests?from=" + requests.size(), null, Duration.ZERO).lines()
				.map(SoapRequest::parse)
				.toList();
			if (page.isEmpty()) {
				return List.copyOf(requests);
			}
			requests.addAll(page);
		}
	}

	@Override
	public SoapRequest awaitRequest(int index, Duration timeout) {
		return SoapRequest.parse(exchange("GET", "requests/" + index, null, timeout).strip());
	}

	@Override
	public List<SoapConnection> connections() {
		return exchange("GET", "connections", null, Duration.ZERO).lines().map(SoapConnection::parse).toList();
	}

	@Override
	public SoapConnection awaitConnection(int index, Duration timeout) {
		return SoapConnection.parse(exchange("GET", "connections/" + index, null, timeout).strip());
	}

	@Override
	public SoapConnection awaitClosedByClient(int index, Duration timeout) {
		return SoapConnection
			.parse(exchange("GET", "connections/" + index + "/closed-by-client", null, timeout).strip());
	}

	@Override
	public void awaitNoOpenConnection(Duration timeout) {
		exchange("GET", "no-open-connection", null, timeout);
	}

	@Override
	public void reset() {
		exchange("POST", "reset", "", Duration.ZERO);
	}

	/**
	 * Nothing to release: the remote service keeps running (stop its process or container
	 * to end it).
	 */
	@Override
	public void close() {
	}

	private String exchange(String method, String path, String body, Duration wait) {
		if (wait.isNegative() || wait.toMillis() > ControlServer.MAX_WAIT_MILLIS) {
			throw new IllegalArgumentException("A timeout is 0 to 10 minutes, got " + wait);
		}
		URI uri = this.control.resolve(path + (wait.isZero() ? "" : "?wait=" + wait.toMillis()));
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(CONTROL_TIMEOUT.plus(wait))
			.header("Content-Type", "text/plain; charset=utf-8")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
							: HttpRequest.BodyPublishers.noBody())
			.build();
		Answer response;
		try {
			HttpResponse<InputStream> streamed = this.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
			String text;
			try (InputStream in = streamed.body()) {
				byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
				if (bytes.length > MAX_ANSWER_BYTES) {
					throw new IllegalStateException(method + " /" + path + " on " + this + " answered more than "
							+ MAX_ANSWER_BYTES + " bytes");
				}
				text = new String(bytes, StandardCharsets.UTF_8);
			}
			response = new Answer(streamed.statusCode(), text);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"The control port of " + this + " did not answer " + method + " /" + path + ": " + ex,
					new UncheckedIOException(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while talking to " + this, ex);
		}
		if (response.statusCode() == 408) {
			throw new AssertionError(response.body().strip());
		}
		if (response.statusCode() != 200) {
			throw new IllegalStateException(method + " /" + path + " on " + this + " answered " + response.statusCode()
					+ ": " + response.body().strip());
		}
		return response.body();
	}

	/**
	 * A control answer: its status and text.
	 */
	private record Answer(int statusCode, String body) {

	}

	@Override
	public String toString() {
		return "RemoteMisbehavingSoapService(" + this.host + ":" + this.soapPort + ", control " + this.control + ")";
	}

}
