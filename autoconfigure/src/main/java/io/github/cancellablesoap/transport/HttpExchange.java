package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.Channel;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.ProductThreads;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.jspecify.annotations.Nullable;

/**
 * One request/response exchange on HttpClient 5's asynchronous client: the
 * {@link Channel} of one call. Aborting it cancels the exchange's future, which closes
 * its connection in every phase; because a cancel can reach HttpClient while a connection
 * is still being leased, the request producer and response consumer also refuse to go on
 * once the exchange is aborted, which makes HttpClient discard that connection when it
 * arrives.
 * <p>
 * An abort of an exchange whose request had started to go out also sends the host the
 * call's explicit cancel through the {@link CancelSender}, when the host understands one;
 * one aborted before it sent anything (connecting, or never started), or after the
 * answer's head arrived (the host has answered), sends nothing. The headers of every
 * answer tell the sender whether the peer understands cancels.
 * <p>
 * Thread-safe: {@link #abort()} may be called from any thread; the exchange reports its
 * end to its call exactly once.
 */
final class HttpExchange implements Channel, FutureCallback<ExchangeResponse> {

	private static final Ids CHANNEL_IDS = new Ids("ch");

	private final ProxySettings settings;

	private final String id = CHANNEL_IDS.next();

	private final CarriedCall call;

	private final AtomicBoolean aborted = new AtomicBoolean();

	private final AtomicBoolean ended = new AtomicBoolean();

	private final ChannelTracker tracker;

	private volatile @Nullable Future<ExchangeResponse> future;

	/** Guards {@link #attempts} and the assignment of {@link #future}. */
	private final Object attemptLock = new Object();

	/** How many times the exchange was handed to the client; the last one is live. */
	private int attempts;

	private volatile boolean started;

	/** Whether the request started to go out, so that its host may have admitted it. */
	private volatile boolean sent;

	/**
	 * Whether the answer's head arrived: its operation was sealed before it was written,
	 * so a cancel can change nothing there.
	 */
	private volatile boolean headReceived;

	private final @Nullable Cancellable cancellable;

	/** What {@link #start} was given, kept for the one retry of a request never sent. */
	private volatile @Nullable Attempt attempt;

	/** Attempts made again; one at a time, each after the previous one failed. */
	private volatile int retries;

	HttpExchange(CarriedCall call, ProxySettings settings) {
		this(call, settings, null);
	}

	HttpExchange(CarriedCall call, ProxySettings settings, @Nullable Cancellable cancellable) {
		this.call = call;
		this.settings = settings;
		this.cancellable = cancellable;
		this.tracker = new ChannelTracker((cancellable != null) ? cancellable.address() : null);
	}

	@Override
	public String id() {
		return this.id;
	}

	/**
	 * Start the exchange. Must be called at most once, after the call accepted the
	 * channel.
	 * @param client the client to execute on
	 * @param request the request head
	 * @param body the request body
	 * @param contentType the body's content type
	 * @param transport the transport, which prepares the exchange's context
	 */
	void start(CloseableHttpAsyncClient client, HttpRequest request, byte[] body, int bodyLength,
			@Nullable String contentType, HttpComponents5Transport transport) {
		this.started = true;
		if (this.aborted.get()) {
			cancelled();
			return;
		}
		this.call.phase(CallPhase.CONNECTING);
		this.attempt = new Attempt(client, request, body, bodyLength, contentType, transport);
		execute(this.attempt);
	}

	private void execute(Attempt attempt) {
		int number;
		synchronized (this.attemptLock) {
			number = ++this.attempts;
		}
		Future<ExchangeResponse> started;
		HttpClientContext context = HttpClientContext.create();
		context.setAttribute(ChannelTracker.ATTRIBUTE, this.tracker);
		attempt.transport().prepare(context);
		try {
			started = attempt.client()
				.execute(
						new BasicRequestProducer(attempt.request(),
								new RequestBodyProducer(this, attempt.body(), attempt.bodyLength(),
										attempt.contentType())),
						new BufferingResponseConsumer(this, this.settings.maxResponseBytes()), null, context, this);
		}
		catch (RuntimeException ex) {
			failed(ex);
			return;
		}
		synchronized (this.attemptLock) {
			// a retry started meanwhile (the client can fail this attempt before execute
			// returns) owns the future now: never replace it with this finished one
			if (number == this.attempts) {
				this.future = started;
			}
		}
		if (this.aborted.get()) {
			started.cancel(true);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * An exchange aborted before {@link #start} never does any I/O, and this returns
	 * {@code false} for it.
	 */
	@Override
	public boolean abort() {
		if (this.ended.get() || !this.aborted.compareAndSet(false, true)) {
			return false;
		}
		this.tracker.abort();
		Future<ExchangeResponse> running = this.future;
		if (running != null) {
			running.cancel(true);
		}
		Cancellable target = this.cancellable;
		if (target != null && this.sent && !this.headReceived) {
			target.sender().send(target.address(), this.call.callId(), target.token());
		}
		return this.started;
	}

	boolean isAborted() {
		return this.aborted.get();
	}

	/**
	 * Record that the request starts to go out; called by the request producer before it
	 * checks for an abort (see {@link #abort()}: a cancel for a request that then never
	 * left is harmless, a request that left without a cancel is not).
	 */
	void sending() {
		this.sent = true;
	}

	void phase(CallPhase phase) {
		if (phase != CallPhase.CONNECTING) {
			this.sent = true;
		}
		if (!this.ended.get()) {
			this.call.phase(phase);
		}
	}

	/**
	 * Record what the peer said about cancels in an answer's head.
	 * @param supportHeader its
	 * {@link io.github.cancellablesoap.core.WireProtocol#CANCEL_SUPPORT_HEADER}, or
	 * {@code null}
	 */
	void answered(@Nullable String supportHeader) {
		this.headReceived = true;
		Cancellable target = this.cancellable;
		if (target != null) {
			target.sender().learn(target.address(), supportHeader);
		}
	}

	@Override
	public void completed(ExchangeResponse response) {
		if (this.ended.compareAndSet(false, true)) {
			this.call.exchangeEnded();
			this.call.responded(response);
		}
	}

	@Override
	public void failed(Exception failure) {
		if (failure instanceof RequestNotExecutedException && retry()) {
			return;
		}
		if (this.ended.compareAndSet(false, true)) {
			this.call.exchangeEnded();
			this.call.failed(transportFailure(failure));
		}
	}

	/**
	 * Start the exchange again when its request was never sent: HttpCore reports
	 * {@link RequestNotExecutedException} when the pooled connection it was given turned
	 * out closed by the peer before a byte went out (a forward proxy such as tinyproxy,
	 * or a server, closing a kept-alive connection as it is leased). Each such failure
	 * discards one pooled connection, so at most as many retries as the pool holds
	 * connections ({@code max-pending-calls}) reach a fresh one. Never after an abort
	 * (which then cancels the new attempt as it would the first), and never once the
	 * request started to go out, so a service never sees a request twice.
	 * @return {@code true} when the exchange runs again
	 */
	private boolean retry() {
		Attempt current = this.attempt;
		if (current == null || this.retries >= this.settings.maxPendingCalls() || this.sent || this.aborted.get()
				|| this.ended.get()) {
			return false;
		}
		this.retries++;
		// the framing headers are HttpClient's to write again
		current.request().removeHeaders(HttpHeaders.CONTENT_LENGTH);
		current.request().removeHeaders(HttpHeaders.TRANSFER_ENCODING);
		// not on the I/O thread that failed the attempt: connecting anew may resolve the
		// host's name on the calling thread
		ProductThreads.application().execute(() -> execute(current));
		return true;
	}

	private IOException transportFailure(Exception failure) {
		if (failure instanceof MessageConstraintException) {
			String message = String.valueOf(failure.getMessage());
			String bound;
			if (message.contains("line length")) {
				bound = "a line of its head longer than max-response-header-size ("
						+ this.settings.maxResponseHeaderBytes() + " bytes)";
			}
			else if (message.contains("header count")) {
				bound = "more than max-response-headers (" + this.settings.maxResponseHeaders() + ") headers";
			}
			else {
				bound = message;
			}
			return new IOException("Response on channel " + this.id + " refused: " + bound, failure);
		}
		SSLException tls = tlsFailure(failure);
		if (tls != null) {
			return tls;
		}
		return (failure instanceof IOException io) ? io
				: new IOException("Channel " + this.id + " failed: " + failure.getMessage(), failure);
	}

	/**
	 * A TLS failure, with a message that says the handshake failed, with whom, and what
	 * usually causes it; {@code null} when the failure is not about TLS.
	 */
	private @Nullable SSLException tlsFailure(Exception failure) {
		SSLException tls = null;
		for (Throwable cause = failure; cause != null && tls == null; cause = cause.getCause()) {
			if (cause instanceof SSLException found) {
				tls = found;
			}
		}
		if (tls == null) {
			return null;
		}
		String detail = String.valueOf(tls.getMessage());
		String hint;
		if (detail.contains("PKIX") || detail.contains("unable to find valid certification path")) {
			hint = " (the service's certificate is not trusted: check the trust material of the proxy's SSL bundle)";
		}
		else if (detail.contains("subject alternative") || detail.contains("doesn't match")
				|| detail.contains("No name matching")) {
			hint = " (the service's certificate does not name the host of the address)";
		}
		else if (detail.contains("certificate_required") || detail.contains("bad_certificate")
				|| detail.contains("certificate_unknown")) {
			hint = " (the service refused the proxy's client certificate or got none: check the key of the proxy's SSL bundle)";
		}
		else {
			hint = "";
		}
		Cancellable target = this.cancellable;
		String peer = (target != null) ? " with " + target.address().getHost() + ":"
				+ ((target.address().getPort() != -1) ? target.address().getPort() : 443) : "";
		return new SSLException("The TLS handshake" + peer + " failed on channel " + this.id + hint + ": " + detail,
				tls);
	}

	@Override
	public void cancelled() {
		if (this.ended.compareAndSet(false, true)) {
			this.call.exchangeEnded();
			this.call.failed(new InterruptedIOException("Channel " + this.id + " was aborted"));
		}
	}

	/**
	 * What one execution of the exchange needs.
	 */
	private record Attempt(CloseableHttpAsyncClient client, HttpRequest request, byte[] body, int bodyLength,
			@Nullable String contentType, HttpComponents5Transport transport) {

	}

	/**
	 * Where and with what an exchange's call can be cancelled explicitly.
	 *
	 * @param sender the proxy's cancel sender
	 * @param address the call's address
	 * @param token the call's token, which the request carries
	 */
	record Cancellable(CancelSender sender, URI address, String token) {

		@Override
		public String toString() {
			return "Cancellable[" + this.address + "]";
		}

	}

}
