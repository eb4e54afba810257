package io.github.cancellablesoap.test.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;

/**
 * What a {@link ScriptedHttpServer} does with a request once it has read it completely.
 * Create one with the static factories, for example
 * {@code Behaviour.respond(200, "text/xml", body)}, {@code Behaviour.hangBeforeHeaders()}
 * or, for hostile responses written byte by byte,
 * {@code Behaviour.script((request, out) -> ...)}, and hand it to
 * {@link ScriptedHttpServer#start(Behaviour)} or
 * {@link ScriptedHttpServer#setBehaviour(Behaviour)}.
 * <p>
 * Any behaviour can be {@link #afterDelay(Duration) delayed} (nothing is sent until the
 * delay has passed, while the server still watches for the client closing); a
 * {@link #respond respond} can also {@link #dribble(int, Duration) dribble} its body and
 * {@link #stallAfter(int) stall} after part of it.
 * <p>
 * Only {@link #respond respond} and {@link #script script} keep a connection alive for
 * further requests (unless the client asked for {@code Connection: close}, in which case
 * the server half-closes and waits for the client to close). {@link #respondWhenReleased
 * respondWhenReleased} keeps it alive once released. Every other behaviour ends the
 * connection: either by waiting until the client closes it, or by closing it from the
 * server side.
 * <p>
 * Its length (about 400 lines) is the documentation of its factories and modifiers, each
 * a user-facing verb.
 * <p>
 * Immutable and thread-safe. A body function given to
 * {@link #respond(int, String, Function)} is called on server connection threads, so it
 * must be thread-safe itself.
 *
 * @author Cancellable SOAP
 */
public final class Behaviour {

	/**
	 * The longest delay or dribble pause: a day (longer is a mistake; {@link #hang()}
	 * waits for ever).
	 */
	public static final Duration MAX_PAUSE = Duration.ofDays(1);

	enum Kind {

		RESPOND, SCRIPT, SCRIPT_THEN_CLOSE, HANG_BEFORE_HEADERS, STALL_BODY, RESPOND_WHEN_RELEASED, CLOSE_IMMEDIATELY,
		RESET_IMMEDIATELY

	}

	private final Kind kind;

	/** What the server answers, for the kinds that answer with a formed response. */
	private final Response response;

	/** What writes the answer, for {@link Kind#SCRIPT}. */
	private final ScriptedHttpServer.Script script;

	/** How the response goes out: delay, dribble, stall. */
	private final Pacing pacing;

	private Behaviour(Kind kind, Response response, ScriptedHttpServer.Script script) {
		this(kind, response, script, Pacing.NONE);
	}

	private Behaviour(Kind kind, Response response, ScriptedHttpServer.Script script, Pacing pacing) {
		this.kind = kind;
		this.response = response;
		this.script = script;
		this.pacing = pacing;
	}

	private static Behaviour of(Kind kind, int status, String contentType, Function<RecordedRequest, String> body,
			int declaredLength) {
		return new Behaviour(kind, new Response(status, contentType, body, declaredLength, Collections.emptyMap()),
				null);
	}

	private static Behaviour of(Kind kind) {
		return new Behaviour(kind, null, null);
	}

	/**
	 * Answer every request of the connection with the same response (with a
	 * {@code Content-Length}), keeping the connection alive for the next request.
	 * @param status the status code
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param body the response body, sent as UTF-8
	 * @return the behaviour
	 */
	public static Behaviour respond(int status, String contentType, String body) {
		Objects.requireNonNull(body, "body");
		return respond(status, contentType, (request) -> body);
	}

	/**
	 * Answer every request of the connection with a body computed from the request, for
	 * example {@code respond(200, "text/xml", RecordedRequest::body)} to echo it, keeping
	 * the connection alive for the next request.
	 * @param status the status code
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param body computes the response body (sent as UTF-8); called on a server thread
	 * @return the behaviour
	 */
	public static Behaviour respond(int status, String contentType, Function<RecordedRequest, String> body) {
		Objects.requireNonNull(body, "body");
		return of(Kind.RESPOND, status, contentType, body, -1);
	}

	/**
	 * Answer every request with bytes the script writes as they go on the wire (status
	 * line, headers and body), for peers that break the rules on purpose: a compressed
	 * body that inflates to gigabytes, a header line of a hundred megabytes, ten thousand
	 * headers. The script streams into the socket (only a small write buffer in between),
	 * so it may write far more than fits in memory. A script that returns keeps the
	 * connection alive for the next request; one that throws an {@link IOException}
	 * (typically because the client closed the socket in the middle of the response) ends
	 * the connection, recorded as {@link ServerConnection#isClosedByPeer() closed by the
	 * peer}.
	 * @param script writes the response; called on a server thread
	 * @return the behaviour
	 */
	public static Behaviour script(ScriptedHttpServer.Script script) {
		Objects.requireNonNull(script, "script");
		return new Behaviour(Kind.SCRIPT, null, script);
	}

	/**
	 * Read the request, then send nothing at all and wait until the client closes the
	 * connection; the close is recorded as {@link ServerConnection#isClosedByPeer()}.
	 * @return the behaviour
	 */
	public static Behaviour hangBeforeHeaders() {
		return of(Kind.HANG_BEFORE_HEADERS);
	}

	/**
	 * Send a {@code 200} status line and headers announcing {@code declaredLength} body
	 * bytes as {@code text/xml; charset=utf-8}, then only {@code partialBody}, and wait
	 * until the client closes the connection.
	 * @param declaredLength the {@code Content-Length} to announce
	 * @param partialBody the part of the body to send, shorter than
	 * {@code declaredLength} bytes in UTF-8
	 * @return the behaviour
	 */
	public static Behaviour stallBody(int declaredLength, String partialBody) {
		return stallBody(200, "text/xml; charset=utf-8", declaredLength, partialBody);
	}

	/**
	 * Send a status line and headers announcing {@code declaredLength} body bytes, then
	 * only {@code partialBody}, and wait until the client closes the connection.
	 * @param status the status code
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param declaredLength the {@code Content-Length} to announce
	 * @param partialBody the part of the body to send, shorter than
	 * {@code declaredLength} bytes in UTF-8
	 * @return the behaviour
	 */
	public static Behaviour stallBody(int status, String contentType, int declaredLength, String partialBody) {
		int partialLength = partialBody.getBytes(StandardCharsets.UTF_8).length;
		if (partialLength >= declaredLength) {
			throw new IllegalArgumentException("The partial body (" + partialLength
					+ " bytes) must be shorter than the declared length " + declaredLength);
		}
		return of(Kind.STALL_BODY, status, contentType, (request) -> partialBody, declaredLength);
	}

	/**
	 * Read the request and hold the response until the test calls
	 * {@link ServerConnection#release()} (or {@link ScriptedHttpServer#releaseAll()});
	 * while holding, the server still notices at once when the client closes the
	 * connection. Once released, the response is sent and the connection stays alive.
	 * @param status the status code
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param body the response body, sent as UTF-8
	 * @return the behaviour
	 */
	public static Behaviour respondWhenReleased(int status, String contentType, String body) {
		Objects.requireNonNull(body, "body");
		return of(Kind.RESPOND_WHEN_RELEASED, status, contentType, (request) -> body, -1);
	}

	/**
	 * Write the bytes the script writes (any bytes: garbage, a malformed chunk), then
	 * close the connection from the server side, whatever the client expected next.
	 * @param script writes what goes on the wire before the close; called on a server
	 * thread
	 * @return the behaviour
	 */
	public static Behaviour scriptThenClose(ScriptedHttpServer.Script script) {
		Objects.requireNonNull(script, "script");
		return new Behaviour(Kind.SCRIPT_THEN_CLOSE, null, script);
	}

	/**
	 * Read the request and close the connection without answering (a normal close, so the
	 * client reads end-of-stream where it expects a status line).
	 * @return the behaviour
	 */
	public static Behaviour closeImmediately() {
		return of(Kind.CLOSE_IMMEDIATELY);
	}

	/**
	 * Read the request and reset the connection without answering ({@code SO_LINGER}
	 * zero, so the client sees "Connection reset").
	 * @return the behaviour
	 */
	public static Behaviour resetImmediately() {
		return of(Kind.RESET_IMMEDIATELY);
	}

	/**
	 * A copy of this behaviour that also sends a header with its response. Meaningful for
	 * {@code respond}, {@code respondWhenReleased} and {@code stallBody}; the other
	 * behaviours send no formed response and are returned as they are.
	 * @param name the header name
	 * @param value the header value
	 * @return a new behaviour
	 */
	public Behaviour withHeader(String name, String value) {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(value, "value");
		if (this.response == null) {
			return this;
		}
		Map<String, String> headers = new LinkedHashMap<>(this.response.extraHeaders());
		headers.put(name, value);
		return new Behaviour(this.kind, new Response(this.response.status(), this.response.contentType(),
				this.response.body(), this.response.declaredLength(), Collections.unmodifiableMap(headers)), null,
				this.pacing);
	}

	/**
	 * A copy of this behaviour that first waits, sending nothing: the delay before the
	 * response headers (or before the close, the reset, the hang). The server watches the
	 * connection meanwhile, so a client that gives up during the delay is recorded as
	 * {@link ServerConnection#isClosedByPeer() closed by the peer} at once.
	 * @param delay how long to wait, zero or more
	 * @return a new behaviour
	 */
	public Behaviour afterDelay(Duration delay) {
		if (delay.isNegative() || delay.compareTo(MAX_PAUSE) > 0) {
			throw new IllegalArgumentException("A delay is zero to " + MAX_PAUSE + ", got " + delay);
		}
		return new Behaviour(this.kind, this.response, this.script,
				new Pacing(delay, this.pacing.dribbleBytes(), this.pacing.dribbleInterval(), this.pacing.stallAfter()));
	}

	/**
	 * A copy of this {@link #respond respond} behaviour that sends its body {@code bytes}
	 * at a time with a pause of {@code interval} before each piece (the head goes at
	 * once, with the full {@code Content-Length}); the server watches the connection
	 * during each pause.
	 * @param bytes how many body bytes per piece, at least one
	 * @param interval the pause before each piece, more than zero
	 * @return a new behaviour
	 * @throws IllegalStateException if this behaviour is not a {@code respond}
	 */
	public Behaviour dribble(int bytes, Duration interval) {
		requireRespond("dribble");
		if (bytes < 1 || interval.isNegative() || interval.isZero() || interval.compareTo(MAX_PAUSE) > 0) {
			throw new IllegalArgumentException(
					"A dribble needs at least one byte per piece and an interval above zero and at most " + MAX_PAUSE
							+ ", got " + bytes + " every " + interval);
		}
		return new Behaviour(this.kind, this.response, null,
				new Pacing(this.pacing.delay(), bytes, interval, this.pacing.stallAfter()));
	}

	/**
	 * A copy of this {@link #respond respond} behaviour that sends the head (with the
	 * full {@code Content-Length}) and only the first {@code bodyBytes} bytes of the
	 * body, then sends nothing more and waits until the client closes the connection.
	 * @param bodyBytes how many body bytes to send, zero or more (a body shorter than
	 * that is sent whole, and the server still waits)
	 * @return a new behaviour
	 * @throws IllegalStateException if this behaviour is not a {@code respond}
	 */
	public Behaviour stallAfter(int bodyBytes) {
		requireRespond("stallAfter");
		if (bodyBytes < 0) {
			throw new IllegalArgumentException("The number of body bytes must not be negative, got " + bodyBytes);
		}
		return new Behaviour(this.kind, this.response, null,
				new Pacing(this.pacing.delay(), this.pacing.dribbleBytes(), this.pacing.dribbleInterval(), bodyBytes));
	}

	private void requireRespond(String what) {
		if (this.kind != Kind.RESPOND) {
			throw new IllegalStateException(what + " applies to a respond behaviour, not to " + this);
		}
	}

	Kind kind() {
		return this.kind;
	}

	Pacing pacing() {
		return this.pacing;
	}

	/**
	 * The head and the body of the formed response to a request, apart.
	 */
	byte[][] headAndBody(RecordedRequest request) {
		return this.response.headAndBody(request);
	}

	/**
	 * Write the response to a request on a connection's output stream.
	 */
	void writeResponse(RecordedRequest request, OutputStream out) throws IOException {
		if (this.kind == Kind.SCRIPT || this.kind == Kind.SCRIPT_THEN_CLOSE) {
			this.script.respond(request, out);
		}
		else {
			out.write(response(request));
		}
	}

	/**
	 * The bytes to send for a request: status line, headers and (partial) body.
	 */
	byte[] response(RecordedRequest request) {
		return this.response.bytes(request);
	}

	@Override
	public String toString() {
		return describeKind() + this.pacing;
	}

	private String describeKind() {
		return switch (this.kind) {
			case RESPOND, RESPOND_WHEN_RELEASED ->
				this.kind + "(" + this.response.status() + ", " + this.response.contentType() + ")";
			case STALL_BODY ->
				this.kind + "(" + this.response.status() + ", declared " + this.response.declaredLength() + ")";
			case SCRIPT, SCRIPT_THEN_CLOSE -> this.kind + "(" + this.script + ")";
			default -> this.kind.toString();
		};
	}

	/**
	 * A formed response: status line, headers and a (possibly partial) body.
	 *
	 * @param status the status code
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param body computes the body from the request; called on a server thread
	 * @param declaredLength the {@code Content-Length} to announce, or {@code -1} for the
	 * body's own length
	 * @param extraHeaders further headers to send
	 */
	private record Response(int status, String contentType, Function<RecordedRequest, String> body, int declaredLength,
			Map<String, String> extraHeaders) {

		byte[] bytes(RecordedRequest request) {
			byte[][] parts = headAndBody(request);
			byte[] all = new byte[parts[0].length + parts[1].length];
			System.arraycopy(parts[0], 0, all, 0, parts[0].length);
			System.arraycopy(parts[1], 0, all, parts[0].length, parts[1].length);
			return all;
		}

		byte[][] headAndBody(RecordedRequest request) {
			byte[] content = this.body.apply(request).getBytes(StandardCharsets.UTF_8);
			int length = (this.declaredLength >= 0) ? this.declaredLength : content.length;
			StringBuilder head = new StringBuilder();
			head.append("HTTP/1.1 ").append(this.status).append(' ').append(reason(this.status)).append("\r\n");
			if (this.contentType != null) {
				head.append("Content-Type: ").append(this.contentType).append("\r\n");
			}
			head.append("Content-Length: ").append(length).append("\r\n");
			this.extraHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
			head.append("\r\n");
			return new byte[][] { head.toString().getBytes(StandardCharsets.ISO_8859_1), content };
		}

		private static String reason(int status) {
			String reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ROOT);
			return (reason != null) ? reason : "Status " + status;
		}

	}

	/**
	 * How a response goes out.
	 *
	 * @param delay the wait before anything is sent
	 * @param dribbleBytes body bytes per piece, or zero to send the body at once
	 * @param dribbleInterval the pause before each piece
	 * @param stallAfter body bytes after which the server stops sending, or {@code -1}
	 */
	record Pacing(Duration delay, int dribbleBytes, Duration dribbleInterval, int stallAfter) {

		static final Pacing NONE = new Pacing(Duration.ZERO, 0, Duration.ZERO, -1);

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder();
			if (!this.delay.isZero()) {
				text.append(" after ").append(this.delay);
			}
			if (this.dribbleBytes > 0) {
				text.append(" dribbling ")
					.append(this.dribbleBytes)
					.append(" bytes every ")
					.append(this.dribbleInterval);
			}
			if (this.stallAfter >= 0) {
				text.append(" stalling after ").append(this.stallAfter).append(" body bytes");
			}
			return text.toString();
		}

	}

}
