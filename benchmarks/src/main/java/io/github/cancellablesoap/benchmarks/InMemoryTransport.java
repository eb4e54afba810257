package io.github.cancellablesoap.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.Channel;
import io.github.cancellablesoap.client.CurrentCall;
import io.github.cancellablesoap.client.ProxyTransport;
import io.github.cancellablesoap.core.OperationNames;
import io.github.cancellablesoap.core.Tokens;
import io.github.cancellablesoap.core.WireProtocol;

import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.transport.WebServiceConnection;
import org.springframework.ws.transport.WebServiceMessageSender;
import org.springframework.ws.transport.http.AbstractHttpSenderConnection;

/**
 * A {@link ProxyTransport} that answers in memory, for the JMH benchmarks: the request is
 * written into a buffer and a fixed response is read from another, with no socket and no
 * thread. Its connection does for a proxy call what the real transport's connection does
 * around the I/O (the operation name, the listeners' headers, the call id, timeout and
 * token headers, attach, the phases, the end of the exchange and the response handed over
 * and awaited), so that a proxy over it costs what the proxy adds to the marshalling and
 * nothing else. {@link #plainSender(byte[])} gives the same connection without a call,
 * for the plain {@code WebServiceTemplate} it is compared with.
 * <p>
 * Public so that the JMH benchmarks of the client package can build proxies over it.
 * Thread-safe: connections are created per call and used by the caller's thread only.
 *
 * @author Cancellable SOAP
 */
public final class InMemoryTransport implements ProxyTransport {

	private static final Channel CHANNEL = new Channel() {

		@Override
		public String id() {
			return "in-memory";
		}

		@Override
		public boolean abort() {
			return false;
		}

	};

	private final Sender sender;

	private volatile boolean running;

	/**
	 * A transport that answers every call with the same response.
	 * @param response the HTTP body of the response, a SOAP 1.1 envelope
	 */
	public InMemoryTransport(byte[] response) {
		this.sender = new Sender(response, true);
	}

	/**
	 * The message sender of a plain template: the same connection, with no call to report
	 * to.
	 * @param response the HTTP body of the response
	 * @return the sender
	 */
	static WebServiceMessageSender plainSender(byte[] response) {
		return new Sender(response, false);
	}

	/**
	 * The response the {@link LoopbackServer} gives a payload, as its HTTP body.
	 * @param payload the payload
	 * @return the body
	 */
	static byte[] echoOf(Payload payload) {
		return EchoResponse.body(payload.request().getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public WebServiceMessageSender messageSender() {
		return this.sender;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record Sender(byte[] response, boolean carried) implements WebServiceMessageSender {

		@Override
		public WebServiceConnection createConnection(URI uri) {
			CarriedCall call = this.carried ? CurrentCall.get() : null;
			if (this.carried && call == null) {
				throw new IllegalStateException("an in-memory proxy transport carries only proxy calls");
			}
			return new Connection(uri, this.response, call);
		}

		@Override
		public boolean supports(URI uri, UriSource uriSource) {
			return true;
		}

	}

	/**
	 * One in-memory exchange.
	 */
	private static final class Connection extends AbstractHttpSenderConnection {

		private static final List<String> HEADER_NAMES = List.of("Content-Type");

		private final URI uri;

		private final byte[] response;

		private final CarriedCall call;

		private final ByteArrayOutputStream request = new ByteArrayOutputStream(2048);

		private final List<String[]> headers = new ArrayList<>();

		Connection(URI uri, byte[] response, CarriedCall call) {
			this.uri = uri;
			this.response = response;
			this.call = call;
		}

		@Override
		public URI getUri() {
			return this.uri;
		}

		@Override
		protected void onSendBeforeWrite(WebServiceMessage message) {
			if (this.call != null) {
				String operation = OperationNames.of(message.getPayloadSource(),
						(message instanceof SoapMessage soap) ? soap.getSoapAction() : null);
				if (operation != null) {
					this.call.operation(operation);
				}
			}
		}

		@Override
		public void addRequestHeader(String name, String value) {
			this.headers.add(new String[] { name, value });
		}

		@Override
		protected OutputStream getRequestOutputStream() {
			return this.request;
		}

		@Override
		protected void onSendAfterWrite(WebServiceMessage message) throws IOException {
			CarriedCall carried = this.call;
			if (carried == null) {
				return;
			}
			Map<String, String> listenerHeaders = carried.requestHeaders();
			listenerHeaders.forEach(this::addRequestHeader);
			addRequestHeader(WireProtocol.CALL_ID_HEADER, carried.callId());
			addRequestHeader(WireProtocol.CALL_TIMEOUT_HEADER, Long.toString(carried.remainingMillis()));
			addRequestHeader(WireProtocol.CALL_TOKEN_HEADER, Tokens.next());
			carried.attach(CHANNEL);
			carried.phase(CallPhase.WAITING_FOR_RESPONSE);
			carried.exchangeEnded();
			carried.responded(this.response);
			carried.awaitResponse();
		}

		@Override
		protected int getResponseCode() {
			return 200;
		}

		@Override
		protected String getResponseMessage() {
			return "OK";
		}

		@Override
		protected long getResponseContentLength() {
			return this.response.length;
		}

		@Override
		protected InputStream getRawResponseInputStream() {
			return new ByteArrayInputStream(this.response);
		}

		@Override
		public Iterator<String> getResponseHeaderNames() {
			return HEADER_NAMES.iterator();
		}

		@Override
		public Iterator<String> getResponseHeaders(String name) {
			return "Content-Type".equalsIgnoreCase(name) ? List.of("text/xml; charset=utf-8").iterator()
					: Collections.emptyIterator();
		}

	}

}
