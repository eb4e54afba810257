package io.github.cancellablesoap.test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One request a {@link MisbehavingSoapService} read, as recorded: its place in the order
 * of requests and on which connection it came, method, path, every header (such as
 * {@code Soap-Call-Id}) and the body bytes.
 * <p>
 * Immutable and thread-safe ({@link #body()} hands out a copy). Header names are looked
 * up without regard to case.
 *
 * @param index the request's place in the order the service read requests, from zero
 * (since the service started or was last reset)
 * @param connection the index of the {@link SoapConnection} it came on
 * @param method the HTTP method, {@code POST} for SOAP
 * @param path the request target's path, without the query
 * @param headers every header by name (case-insensitive, unmodifiable), values in order
 * @param body the body bytes as received (de-chunked, not decompressed)
 * @param receivedAt when the service had read the whole request
 * @param bodyTruncated whether the record keeps only the start of the body (the service's
 * bound of recorded body bytes was reached); the service read and answered it whole
 * @author Cancellable SOAP
 */
public record SoapRequest(int index, int connection, String method, String path, Map<String, List<String>> headers,
		byte[] body, Instant receivedAt, boolean bodyTruncated) {

	private static final Set<String> FIELDS = Set.of("index", "connection", "method", "path", "header", "body", "at",
			"truncated");

	/**
	 * A recorded request; the headers are copied into a case-insensitive map.
	 */
	public SoapRequest {
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		headers = Collections.unmodifiableMap(copy);
		body = body.clone();
	}

	/**
	 * The body bytes.
	 * @return a copy of the bytes
	 */
	@Override
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * How many body bytes the record keeps.
	 * @return the length of {@link #body()}, without copying it
	 */
	public int bodyLength() {
		return this.body.length;
	}

	/**
	 * This request with its body cut to its first bytes, marked truncated.
	 */
	SoapRequest truncated(int keep) {
		return new SoapRequest(this.index, this.connection, this.method, this.path, this.headers,
				Arrays.copyOf(this.body, Math.max(0, Math.min(keep, this.body.length))), this.receivedAt, true);
	}

	/**
	 * The body as text.
	 * @return the body decoded as UTF-8
	 */
	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/**
	 * The first value of a header.
	 * @param name the header name, in any case
	 * @return the value, empty if the request had no such header
	 */
	public Optional<String> header(String name) {
		List<String> values = this.headers.get(name);
		return (values == null || values.isEmpty()) ? Optional.empty() : Optional.of(values.get(0));
	}

	/**
	 * The caller's call id, sent by a cancellable SOAP proxy.
	 * @return the {@code Soap-Call-Id} header, empty if absent
	 */
	public Optional<String> callId() {
		return header("Soap-Call-Id");
	}

	/**
	 * The request's SOAP version.
	 * @return the version its {@code Content-Type} says
	 */
	public SoapVersion soapVersion() {
		return SoapVersion.ofContentType(header("Content-Type").orElse(null));
	}

	/**
	 * The request's SOAP action: the {@code SOAPAction} header (SOAP 1.1) or the
	 * {@code action} parameter of the content type (SOAP 1.2), without quotes.
	 * @return the action, empty when none was sent or it was empty
	 */
	public Optional<String> soapAction() {
		String action = header("SOAPAction").orElse(null);
		if (action == null) {
			action = header("Content-Type").map(SoapRequest::actionParameter).orElse(null);
		}
		if (action == null) {
			return Optional.empty();
		}
		action = unquote(action.trim());
		return action.isEmpty() ? Optional.empty() : Optional.of(action);
	}

	private static String actionParameter(String contentType) {
		for (String parameter : contentType.split(";")) {
			String trimmed = parameter.trim();
			if (trimmed.toLowerCase(Locale.ROOT).startsWith("action=")) {
				return trimmed.substring("action=".length());
			}
		}
		return null;
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

	String toLine() {
		WireLine.Builder line = WireLine.builder(null)
			.add("index", this.index)
			.add("connection", this.connection)
			.add("method", this.method)
			.add("path", this.path)
			.add("at", this.receivedAt);
		this.headers.forEach((name, values) -> values.forEach((value) -> line.add("header", name + ":" + value)));
		return line.add("body", Base64.getEncoder().encodeToString(this.body))
			.add("truncated", this.bodyTruncated ? "true" : null)
			.toString();
	}

	static SoapRequest parse(String text) {
		WireLine line = WireLine.parse(text, FIELDS);
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (String header : line.all("header")) {
			int colon = header.indexOf(':');
			headers.computeIfAbsent(header.substring(0, colon), (name) -> new java.util.ArrayList<>())
				.add(header.substring(colon + 1));
		}
		return new SoapRequest(line.getInt("index", -1), line.getInt("connection", -1), line.require("method"),
				line.require("path"), headers, Base64.getDecoder().decode(line.require("body")),
				Instant.parse(line.require("at")), "true".equals(line.get("truncated")));
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof SoapRequest request) && toLine().equals(request.toLine());
	}

	@Override
	public int hashCode() {
		return toLine().hashCode();
	}

	@Override
	public String toString() {
		return "request #" + this.index + " (" + this.method + " " + this.path + " on connection #" + this.connection
				+ ", " + this.body.length + " body bytes" + (this.bodyTruncated ? " (truncated)" : "")
				+ callId().map((id) -> ", call id " + id).orElse("") + ")";
	}

}
