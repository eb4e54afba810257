package io.github.cancellablesoap.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MisbehavingSoapService} does with one SOAP request: answer (the request
 * echoed, a body wrapped in an envelope, or a whole envelope), answer a SOAP fault, hang
 * for ever, close without answering, or reset; optionally after a fixed or random delay
 * before the headers, with the body dribbled a few bytes at a time, or stalled after some
 * bytes. Answers and faults are in the request's SOAP version (told by its
 * {@code Content-Type}) unless {@link #inVersion(SoapVersion) fixed}.
 * <p>
 * For example {@code SoapBehaviour.answer("<m:ok xmlns:m=\"urn:m\"/>")},
 * {@code SoapBehaviour.fault("Out of stock").afterDelay(Duration.ofMillis(200))} or
 * {@code SoapBehaviour.echo().stallAfter(10)}.
 * <p>
 * Its length (about 450 lines) is the user-facing verbs, documented, and their line form;
 * each verb is a few lines.
 * <p>
 * Immutable and thread-safe. Every behaviour has a one-line text form ({@link #toLine()},
 * {@link #parse(String)}) that the control protocol of the out-of-process service
 * carries.
 *
 * @author Cancellable SOAP
 */
public final class SoapBehaviour {

	private static final Set<String> FIELDS = Set.of("text", "sender", "status", "delay", "delay-max", "dribble-bytes",
			"dribble-every", "stall-after", "version", "header");

	private final Kind kind;

	private final String text;

	private final boolean sender;

	private final int status;

	private final Duration delay;

	private final Duration delayMax;

	private final int dribbleBytes;

	private final Duration dribbleEvery;

	private final int stallAfter;

	private final @Nullable SoapVersion version;

	private final Map<String, String> headers;

	private SoapBehaviour(Kind kind, String text, boolean sender, int status, Duration delay, Duration delayMax,
			int dribbleBytes, Duration dribbleEvery, int stallAfter, @Nullable SoapVersion version,
			Map<String, String> headers) {
		this.kind = kind;
		this.text = text;
		this.sender = sender;
		this.status = status;
		this.delay = delay;
		this.delayMax = delayMax;
		this.dribbleBytes = dribbleBytes;
		this.dribbleEvery = dribbleEvery;
		this.stallAfter = stallAfter;
		this.version = version;
		this.headers = headers;
	}

	private static SoapBehaviour of(Kind kind, String text, boolean sender) {
		return new SoapBehaviour(kind, text, sender, -1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, -1, null,
				Map.of());
	}

	/**
	 * Answer {@code 200} with the request's own envelope.
	 * @return the behaviour
	 */
	public static SoapBehaviour echo() {
		return of(Kind.ECHO, "", false);
	}

	/**
	 * Answer {@code 200} with an envelope around the given body content.
	 * @param bodyContent the XML inside {@code Body}, as is
	 * @return the behaviour
	 */
	public static SoapBehaviour answer(String bodyContent) {
		return of(Kind.ANSWER, Objects.requireNonNull(bodyContent, "bodyContent"), false);
	}

	/**
	 * Answer {@code 200} with exactly the given envelope (or any text: a malformed
	 * envelope is sent as it is).
	 * @param envelope the whole response body
	 * @return the behaviour
	 */
	public static SoapBehaviour answerEnvelope(String envelope) {
		return of(Kind.ENVELOPE, Objects.requireNonNull(envelope, "envelope"), false);
	}

	/**
	 * Answer {@code 500} with a SOAP fault whose code blames the receiver
	 * ({@code soap:Server} in SOAP 1.1, {@code env:Receiver} in SOAP 1.2).
	 * @param reason the fault string or reason text
	 * @return the behaviour
	 */
	public static SoapBehaviour fault(String reason) {
		return of(Kind.FAULT, Objects.requireNonNull(reason, "reason"), false);
	}

	/**
	 * Answer {@code 500} with a SOAP fault whose code blames the sender
	 * ({@code soap:Client} in SOAP 1.1, {@code env:Sender} in SOAP 1.2).
	 * @param reason the fault string or reason text
	 * @return the behaviour
	 */
	public static SoapBehaviour senderFault(String reason) {
		return of(Kind.FAULT, Objects.requireNonNull(reason, "reason"), true);
	}

	/**
	 * Read the request, then send nothing, ever, until the client closes the connection
	 * (recorded with its time).
	 * @return the behaviour
	 */
	public static SoapBehaviour hang() {
		return of(Kind.HANG, "", false);
	}

	/**
	 * Read the request, then close the connection without answering: the client reads end
	 * of stream where it expects a status line (WireMock's "empty response").
	 * @return the behaviour
	 */
	public static SoapBehaviour closeWithoutAnswer() {
		return of(Kind.CLOSE, "", false);
	}

	/**
	 * Read the request, then reset the connection ({@code SO_LINGER} zero, a TCP RST):
	 * the client sees "Connection reset".
	 * @return the behaviour
	 */
	public static SoapBehaviour reset() {
		return of(Kind.RESET, "", false);
	}

	/**
	 * Read the request, then send 1,024 random bytes where the client expects a status
	 * line, and close the connection (WireMock's "random data then close").
	 * @return the behaviour
	 */
	public static SoapBehaviour garbageThenClose() {
		return of(Kind.GARBAGE, "", false);
	}

	/**
	 * Read the request, then start a chunked {@code 200} answer whose first chunk holds
	 * the start of an envelope and whose next chunk size is not hexadecimal, and close
	 * the connection (WireMock's "malformed response chunk").
	 * @return the behaviour
	 */
	public static SoapBehaviour malformedChunkThenClose() {
		return of(Kind.BAD_CHUNK, "", false);
	}

	/**
	 * A copy that waits before doing anything (before the response headers, or before
	 * hanging, closing, resetting). The service watches the connection meanwhile and
	 * records a client's close at once.
	 * @param delay the wait
	 * @return a new behaviour
	 */
	public SoapBehaviour afterDelay(Duration delay) {
		return afterRandomDelay(delay, delay);
	}

	/**
	 * A copy that waits a random time, uniformly between {@code min} and {@code max}, per
	 * request, before doing anything.
	 * @param min the shortest wait
	 * @param max the longest wait, at least {@code min}
	 * @return a new behaviour
	 */
	public SoapBehaviour afterRandomDelay(Duration min, Duration max) {
		if (min.isNegative() || max.compareTo(min) < 0 || max.compareTo(Behaviour.MAX_PAUSE) > 0) {
			throw new IllegalArgumentException("Delays go from zero up to " + Behaviour.MAX_PAUSE
					+ ", the longest last: got " + min + " to " + max);
		}
		return new SoapBehaviour(this.kind, this.text, this.sender, this.status, min, max, this.dribbleBytes,
				this.dribbleEvery, this.stallAfter, this.version, this.headers);
	}

	/**
	 * A copy that sends the response head at once and the body {@code bytes} at a time,
	 * pausing {@code every} before each piece.
	 * @param bytes body bytes per piece, at least one
	 * @param every the pause before each piece, more than zero
	 * @return a new behaviour
	 * @throws IllegalStateException for a behaviour that sends no answer
	 */
	public SoapBehaviour dribble(int bytes, Duration every) {
		requireAnswer("dribble");
		if (bytes < 1 || every.isNegative() || every.isZero() || every.compareTo(Behaviour.MAX_PAUSE) > 0) {
			throw new IllegalArgumentException(
					"A dribble needs at least one byte per piece and a pause above zero and at most "
							+ Behaviour.MAX_PAUSE + ", got " + bytes + " every " + every);
		}
		return new SoapBehaviour(this.kind, this.text, this.sender, this.status, this.delay, this.delayMax, bytes,
				every, this.stallAfter, this.version, this.headers);
	}

	/**
	 * A copy that sends the response head (with the full {@code Content-Length}) and the
	 * first {@code bodyBytes} bytes of the body, then nothing more until the client
	 * closes the connection.
	 * @param bodyBytes body bytes to send, zero or more
	 * @return a new behaviour
	 * @throws IllegalStateException for a behaviour that sends no answer
	 */
	public SoapBehaviour stallAfter(int bodyBytes) {
		requireAnswer("stallAfter");
		if (bodyBytes < 0) {
			throw new IllegalArgumentException("Body bytes must not be negative, got " + bodyBytes);
		}
		return new SoapBehaviour(this.kind, this.text, this.sender, this.status, this.delay, this.delayMax,
				this.dribbleBytes, this.dribbleEvery, bodyBytes, this.version, this.headers);
	}

	/**
	 * A copy with another status code (an answer is {@code 200} and a fault {@code 500}
	 * by default).
	 * @param status the status code, 200 to 599
	 * @return a new behaviour
	 * @throws IllegalStateException for a behaviour that sends no answer
	 */
	public SoapBehaviour withStatus(int status) {
		requireAnswer("withStatus");
		if (status < 200 || status > 599) {
			throw new IllegalArgumentException("A final status is 200 to 599, got " + status);
		}
		return new SoapBehaviour(this.kind, this.text, this.sender, status, this.delay, this.delayMax,
				this.dribbleBytes, this.dribbleEvery, this.stallAfter, this.version, this.headers);
	}

	/**
	 * A copy that also sends a response header, such as {@code Soap-Cancel: supported}.
	 * @param name the header name (a token)
	 * @param value the value (no line breaks)
	 * @return a new behaviour
	 * @throws IllegalStateException for a behaviour that sends no answer
	 */
	public SoapBehaviour withHeader(String name, String value) {
		requireAnswer("withHeader");
		if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("Not a valid header: " + name + ": " + value);
		}
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new SoapBehaviour(this.kind, this.text, this.sender, this.status, this.delay, this.delayMax,
				this.dribbleBytes, this.dribbleEvery, this.stallAfter, this.version, Map.copyOf(headers));
	}

	/**
	 * A copy that answers in the given SOAP version whatever the request's.
	 * @param version the version
	 * @return a new behaviour
	 */
	public SoapBehaviour inVersion(SoapVersion version) {
		return new SoapBehaviour(this.kind, this.text, this.sender, this.status, this.delay, this.delayMax,
				this.dribbleBytes, this.dribbleEvery, this.stallAfter, Objects.requireNonNull(version, "version"),
				this.headers);
	}

	private void requireAnswer(String what) {
		if (!this.kind.answers) {
			throw new IllegalStateException(what + " applies to a behaviour that answers, not to " + this);
		}
	}

	/**
	 * The HTTP behaviour for one request.
	 * @param request the request read
	 * @return what the server does
	 */
	Behaviour toHttp(RecordedRequest request) {
		SoapVersion answerVersion = (this.version != null) ? this.version
				: SoapVersion.ofContentType(request.header("Content-Type"));
		Behaviour http = switch (this.kind) {
			case ECHO -> Behaviour.respond(status(200), answerVersion.contentType(), request.body());
			case ANSWER ->
				Behaviour.respond(status(200), answerVersion.contentType(), answerVersion.envelope(this.text));
			case ENVELOPE -> Behaviour.respond(status(200), answerVersion.contentType(), this.text);
			case FAULT -> Behaviour.respond(status(500), answerVersion.contentType(),
					answerVersion.faultEnvelope(this.sender, this.text));
			case HANG -> Behaviour.hangBeforeHeaders();
			case CLOSE -> Behaviour.closeImmediately();
			case RESET -> Behaviour.resetImmediately();
			case GARBAGE -> Behaviour.scriptThenClose((read, out) -> out.write(garbage()));
			case BAD_CHUNK -> Behaviour.scriptThenClose((read, out) -> out.write(badChunk(answerVersion)));
		};
		for (Map.Entry<String, String> header : this.headers.entrySet()) {
			http = http.withHeader(header.getKey(), header.getValue());
		}
		if (this.dribbleBytes > 0) {
			http = http.dribble(this.dribbleBytes, this.dribbleEvery);
		}
		if (this.stallAfter >= 0) {
			http = http.stallAfter(this.stallAfter);
		}
		return http.afterDelay(pickDelay());
	}

	private int status(int defaultStatus) {
		return (this.status > 0) ? this.status : defaultStatus;
	}

	private Duration pickDelay() {
		if (this.delayMax.equals(this.delay)) {
			return this.delay;
		}
		long min = this.delay.toNanos();
		return Duration.ofNanos(min + ThreadLocalRandom.current().nextLong(this.delayMax.toNanos() - min + 1));
	}

	/**
	 * This behaviour as one line of the control protocol, for example
	 * {@code fault text=Out+of+stock delay=PT0.2S}.
	 * @return the line
	 */
	public String toLine() {
		return fields(WireLine.builder(this.kind.word)).toString();
	}

	String word() {
		return this.kind.word;
	}

	WireLine.Builder fields(WireLine.Builder line) {
		line.add("text", this.text.isEmpty() ? null : this.text)
			.add("sender", this.sender ? "true" : null)
			.add("status", (this.status > 0) ? this.status : null)
			.add("delay", this.delay.isZero() ? null : this.delay)
			.add("delay-max", this.delayMax.equals(this.delay) ? null : this.delayMax)
			.add("dribble-bytes", (this.dribbleBytes > 0) ? this.dribbleBytes : null)
			.add("dribble-every", (this.dribbleBytes > 0) ? this.dribbleEvery : null)
			.add("stall-after", (this.stallAfter >= 0) ? this.stallAfter : null)
			.add("version", this.version);
		this.headers.forEach((name, value) -> line.add("header", name + ":" + value));
		return line;
	}

	/**
	 * Parse the line form of a behaviour.
	 * @param line a line as {@link #toLine()} writes it
	 * @return the behaviour
	 * @throws IllegalArgumentException naming what is wrong
	 */
	public static SoapBehaviour parse(String line) {
		return parse(WireLine.parse(line, FIELDS));
	}

	static Set<String> fieldNames() {
		return FIELDS;
	}

	static SoapBehaviour parse(WireLine line) {
		Kind kind = Kind.ofWord(line.word());
		String text = (line.get("text") != null) ? line.get("text") : "";
		SoapBehaviour behaviour = switch (kind) {
			case ECHO -> echo();
			case ANSWER -> answer(text);
			case ENVELOPE -> answerEnvelope(text);
			case FAULT -> "true".equals(line.get("sender")) ? senderFault(text) : fault(text);
			case HANG -> hang();
			case CLOSE -> closeWithoutAnswer();
			case RESET -> reset();
			case GARBAGE -> garbageThenClose();
			case BAD_CHUNK -> malformedChunkThenClose();
		};
		Duration delay = duration(line, "delay", Duration.ZERO);
		behaviour = behaviour.afterRandomDelay(delay, duration(line, "delay-max", delay));
		if (line.get("status") != null) {
			behaviour = behaviour.withStatus(line.getInt("status", 0));
		}
		if (line.get("dribble-bytes") != null) {
			behaviour = behaviour.dribble(line.getInt("dribble-bytes", 0), duration(line, "dribble-every", null));
		}
		if (line.get("stall-after") != null) {
			behaviour = behaviour.stallAfter(line.getInt("stall-after", 0));
		}
		if (line.get("version") != null) {
			try {
				behaviour = behaviour.inVersion(SoapVersion.valueOf(line.get("version")));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Unknown version '" + line.get("version") + "' (SOAP_11 or SOAP_12)",
						ex);
			}
		}
		for (String header : line.all("header")) {
			int colon = header.indexOf(':');
			if (colon < 1) {
				throw new IllegalArgumentException("A header field is name:value, got '" + header + "'");
			}
			behaviour = behaviour.withHeader(header.substring(0, colon), header.substring(colon + 1));
		}
		return behaviour;
	}

	private static byte[] garbage() {
		byte[] bytes = new byte[1024];
		ThreadLocalRandom.current().nextBytes(bytes);
		// never the start of a status line, however unlikely
		bytes[0] = (byte) 0xFF;
		return bytes;
	}

	private static byte[] badChunk(SoapVersion version) {
		String start = version.envelope("<partial/>").substring(0, 16);
		String wire = "HTTP/1.1 200 OK\r\nContent-Type: " + version.contentType()
				+ "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(start.length()) + "\r\n" + start
				+ "\r\nzz\r\n";
		return wire.getBytes(StandardCharsets.UTF_8);
	}

	private static Duration duration(WireLine line, String key, Duration defaultValue) {
		String value = line.get(key);
		if (value == null) {
			if (defaultValue == null) {
				throw new IllegalArgumentException("Missing field '" + key + "'");
			}
			return defaultValue;
		}
		try {
			return Duration.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"Field '" + key + "' is not an ISO-8601 duration such as PT0.5S: " + value, ex);
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof SoapBehaviour behaviour) && toLine().equals(behaviour.toLine());
	}

	@Override
	public int hashCode() {
		return toLine().hashCode();
	}

	@Override
	public String toString() {
		return toLine();
	}

	private enum Kind {

		ECHO("echo", true), ANSWER("answer", true), ENVELOPE("envelope", true), FAULT("fault", true),
		HANG("hang", false), CLOSE("close", false), RESET("reset", false), GARBAGE("garbage", false),
		BAD_CHUNK("bad-chunk", false);

		private final String word;

		private final boolean answers;

		Kind(String word, boolean answers) {
			this.word = word;
			this.answers = answers;
		}

		static Kind ofWord(String word) {
			for (Kind kind : values()) {
				if (kind.word.equals(word)) {
					return kind;
				}
			}
			throw new IllegalArgumentException("Unknown behaviour '" + word
					+ "' (echo, answer, envelope, fault, hang, close, reset, garbage, bad-chunk)");
		}

	}

}
