package io.github.cancellablesoap.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.BasicCredentials;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.ConnectionSettings;
import io.github.cancellablesoap.client.DeferredConnection;
import io.github.cancellablesoap.client.ServiceProxyRequestCustomizer;
import io.github.cancellablesoap.core.Tokens;
import io.github.cancellablesoap.core.WireProtocol;

import org.springframework.ws.FaultAwareWebServiceMessage;
import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.transport.http.AbstractHttpSenderConnection;

/**
 * The Spring WS connection of one service proxy call: it buffers the request the caller
 * writes, sends it as an {@link HttpExchange}, and waits for the response, or for the
 * call to be abandoned, aborted or timed out, whichever comes first. Headers that the
 * proxy's listeners contribute (a trace context, for example) go on the request before
 * the call's own headers, which they cannot replace.
 * <p>
 * <p>
 * A deferred connection (the non-blocking form of a call, {@link DeferredConnection})
 * returns from {@code send} as soon as the exchange started; the call's answer is taken
 * later with {@link #takeAnswer}, on the thread that processes it.
 * <p>
 * Not thread-safe: used by the caller's thread only, as Spring WS does (a deferred one by
 * the caller's thread, then by the thread that processes the answer).
 */
final class CancellableHttpConnection extends AbstractHttpSenderConnection implements DeferredConnection {

	/**
	 * The codings {@link ContentCodings} decodes, offered as Spring WS's own sender does.
	 */
	private static final Header ACCEPT_ENCODING = new BasicHeader(HttpHeaders.ACCEPT_ENCODING, ContentCodings.ACCEPTED);

	private final HttpComponents5Transport transport;

	private final URI uri;

	private final CarriedCall call;

	private final BasicHttpRequest request;

	private @Nullable String contentType;

	private final RequestBuffer body = new RequestBuffer();

	private @Nullable ExchangeResponse response;

	private @Nullable HttpExchange exchange;

	private long deadlineNanos;

	private boolean faultWithSuccessStatus;

	private final boolean deferred;

	CancellableHttpConnection(HttpComponents5Transport transport, URI uri, CarriedCall call) {
		this(transport, uri, call, false);
	}

	/**
	 * A connection for one call.
	 * @param transport the proxy's transport
	 * @param uri the address
	 * @param call the call it carries
	 * @param deferred whether {@code send} returns once the exchange started, the answer
	 * taken later with {@link #takeAnswer}
	 */
	CancellableHttpConnection(HttpComponents5Transport transport, URI uri, CarriedCall call, boolean deferred) {
		this.deferred = deferred;
		this.transport = transport;
		this.uri = uri;
		this.call = call;
		this.request = new BasicHttpRequest(Method.POST, uri);
		this.request.setHeader(ACCEPT_ENCODING);
	}

	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	protected void onSendBeforeWrite(WebServiceMessage message) {
		String operation = OperationNames.of(message);
		if (operation != null) {
			this.call.operation(operation);
		}
	}

	/**
	 * Take a header Spring WS sets; the body's framing headers are HttpClient's to write.
	 */
	@Override
	public void addRequestHeader(String name, String value) {
		if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
			this.contentType = value;
		}
		else if (!HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)
				&& !HttpHeaders.TRANSFER_ENCODING.equalsIgnoreCase(name)) {
			this.request.addHeader(name, value);
		}
	}

	@Override
	protected OutputStream getRequestOutputStream() {
		return this.body;
	}

	@Override
	protected void onSendAfterWrite(WebServiceMessage message) throws IOException {
		Map<String, String> listenerHeaders = this.call.requestHeaders();
		if (!listenerHeaders.isEmpty()) {
			listenerHeaders.forEach(this.request::setHeader);
		}
		ConnectionSettings connection = this.transport.settings().connection();
		ServiceProxyRequestCustomizer customizer = this.transport.requestCustomizer();
		if (customizer != null) {
			customize(customizer);
		}
		BasicCredentials credentials = connection.credentials();
		if (credentials != null) {
			this.request.setHeader(HttpHeaders.AUTHORIZATION, credentials.headerValue());
		}
		byte[] bytes = this.body.bytes();
		int size = this.body.size();
		if (connection.compressRequests()) {
			RequestBuffer compressed = new RequestBuffer(Math.max(64, size / 4));
			try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 8192)) {
				gzip.write(bytes, 0, size);
			}
			bytes = compressed.bytes();
			size = compressed.size();
			this.request.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
		}
		if (this.deferred) {
			// a pending call keeps its body until its exchange ends: no more than the
			// body itself
			if (size < bytes.length) {
				bytes = Arrays.copyOf(bytes, size);
			}
			this.body.release();
		}
		this.request.setHeader(WireProtocol.CALL_ID_HEADER, this.call.callId());
		long remainingMillis = this.call.remainingMillis();
		// The call's own clock stops watching once the response arrived; reading it is
		// bounded by the same deadline.
		this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(remainingMillis);
		this.request.setHeader(WireProtocol.CALL_TIMEOUT_HEADER, Long.toString(remainingMillis));
		String token = Tokens.next();
		this.request.setHeader(WireProtocol.CALL_TOKEN_HEADER, token);
		CloseableHttpAsyncClient client = this.transport.client();
		HttpExchange exchange = new HttpExchange(this.call, this.transport.settings(),
				new HttpExchange.Cancellable(this.transport.cancels(), this.uri, token));
		this.call.attach(exchange);
		this.exchange = exchange;
		exchange.start(client, this.request, bytes, size, this.contentType, this.transport);
		if (!this.deferred) {
			this.response = (ExchangeResponse) this.call.awaitResponse();
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The call's answer is complete, so its wait returns at once. The body is buffered
	 * whole by then; its read's deadline moves by the wait.
	 */
	@Override
	public void takeAnswer(long waitedNanos) throws IOException {
		this.response = (ExchangeResponse) this.call.awaitResponse();
		this.deadlineNanos += waitedNanos;
	}

	/**
	 * Run the application's request customizer; whatever it throws fails this call before
	 * anything is sent, with a message that names the customizer.
	 */
	private void customize(ServiceProxyRequestCustomizer customizer) throws IOException {
		String proxyName = this.transport.settings().name();
		try {
			customizer.customize(proxyName, this.uri, this::customHeader);
		}
		catch (Exception ex) {
			throw new IOException(
					"Proxy '" + proxyName + "': the ServiceProxyRequestCustomizer " + customizer.getClass().getName()
							+ " threw " + ex.getClass().getName() + "; the request was not sent",
					ex);
		}
	}

	private void customHeader(String name, String value) {
		if (name == null || value == null || name.isEmpty() || !isToken(name) || value.indexOf('\r') >= 0
				|| value.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("A request header needs a token name and a value without line breaks"
					+ ((name != null && isToken(name)) ? " (header " + name + ")" : ""));
		}
		this.request.setHeader(name, value);
	}

	private static boolean isToken(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	private ExchangeResponse response() {
		ExchangeResponse current = this.response;
		if (current == null) {
			throw new IllegalStateException("No response has been received");
		}
		return current;
	}

	/**
	 * The status Spring WS sees: the response's, except that a SOAP fault that came with
	 * a success status (node-soap servers answer faults with HTTP 200) reads as 500 once
	 * the message is in, so that the template hands it to its fault handling (a
	 * {@code SoapFaultClientException}) instead of the response extractor.
	 */
	@Override
	protected int getResponseCode() {
		int code = response().head().getCode();
		return (this.faultWithSuccessStatus && code / 100 == 2) ? 500 : code;
	}

	/**
	 * Note a SOAP fault that came with a success status: {@code WebServiceTemplate} asks
	 * the connection whether it carries a fault, and Spring WS's HTTP connection says so
	 * for 500 (and SOAP 1.2's 400) only.
	 */
	@Override
	protected void onReceiveAfterRead(WebServiceMessage message) {
		if (message instanceof FaultAwareWebServiceMessage faultAware && response().head().getCode() / 100 == 2
				&& faultAware.hasFault()) {
			this.faultWithSuccessStatus = true;
		}
	}

	/**
	 * The reason phrase, or the standard one when the server sent none (HTTP/1.1 servers
	 * such as Tomcat omit it), so that a transport error reads "Service Unavailable
	 * [503]".
	 */
	@Override
	protected String getResponseMessage() {
		String reason = response().head().getReasonPhrase();
		if (reason == null || reason.isEmpty()) {
			reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(getResponseCode(), Locale.ENGLISH);
		}
		return (reason != null) ? reason : "";
	}

	@Override
	protected long getResponseContentLength() {
		return response().length();
	}

	/**
	 * The response body, decompressed and checked against the proxy's bounds before any
	 * parser reads it (see {@link ResponseBodyStream}).
	 * @throws IOException when the body breaks a bound or uses a content coding other
	 * than gzip
	 */
	@Override
	protected InputStream getRawResponseInputStream() throws IOException {
		ExchangeResponse current = response();
		HttpExchange reader = this.exchange;
		if (reader == null) {
			throw new IllegalStateException("No response has been received");
		}
		return ResponseBodyStream.open(current, reader, this.call.callId(), this.transport.settings(),
				this.deadlineNanos);
	}

	/**
	 * Never: Spring WS would inflate a gzip body without a bound;
	 * {@link #getRawResponseInputStream()} decompresses it instead.
	 */
	@Override
	protected boolean isGzipResponse() {
		return false;
	}

	@Override
	public Iterator<String> getResponseHeaderNames() {
		return Arrays.stream(response().head().getHeaders()).map(Header::getName).iterator();
	}

	@Override
	public Iterator<String> getResponseHeaders(String name) {
		return Arrays.stream(response().headers(name)).map(Header::getValue).iterator();
	}

	/**
	 * A request buffer whose bytes are handed to the exchange without a copy.
	 */
	private static final class RequestBuffer extends ByteArrayOutputStream {

		private static final byte[] EMPTY = new byte[0];

		RequestBuffer() {
			this(2048);
		}

		RequestBuffer(int size) {
			super(size);
		}

		byte[] bytes() {
			return this.buf;
		}

		void release() {
			this.buf = EMPTY;
			this.count = 0;
		}

	}

}
