package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.Channel;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.Ids;

/**
 * One request/response exchange on HttpClient 5's asynchronous client: the
 * {@link Channel} of one call. Aborting it cancels the exchange's future, which closes
 * its connection in every phase; because a cancel can reach HttpClient while a connection
 * is still being leased, the request producer and response consumer also refuse to go on
 * once the exchange is aborted, which makes HttpClient discard that connection when it
 * arrives.
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

	private final ChannelTracker tracker = new ChannelTracker();

	private volatile @Nullable Future<ExchangeResponse> future;

	private volatile boolean started;

	HttpExchange(CarriedCall call, ProxySettings settings) {
		this.call = call;
		this.settings = settings;
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
	 */
	void start(CloseableHttpAsyncClient client, HttpRequest request, byte[] body, int bodyLength,
			@Nullable String contentType) {
		this.started = true;
		if (this.aborted.get()) {
			cancelled();
			return;
		}
		this.call.phase(CallPhase.CONNECTING);
		Future<ExchangeResponse> started;
		HttpClientContext context = HttpClientContext.create();
		context.setAttribute(ChannelTracker.ATTRIBUTE, this.tracker);
		try {
			started = client.execute(
					new BasicRequestProducer(request, new RequestBodyProducer(this, body, bodyLength, contentType)),
					new BufferingResponseConsumer(this, this.settings.maxResponseBytes()), null, context, this);
		}
		catch (RuntimeException ex) {
			failed(ex);
			return;
		}
		this.future = started;
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
		return this.started;
	}

	boolean isAborted() {
		return this.aborted.get();
	}

	void phase(CallPhase phase) {
		if (!this.ended.get()) {
			this.call.phase(phase);
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
		if (this.ended.compareAndSet(false, true)) {
			this.call.exchangeEnded();
			this.call.failed(transportFailure(failure));
		}
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
		return (failure instanceof IOException io) ? io
				: new IOException("Channel " + this.id + " failed: " + failure.getMessage(), failure);
	}

	@Override
	public void cancelled() {
		if (this.ended.compareAndSet(false, true)) {
			this.call.exchangeEnded();
			this.call.failed(new InterruptedIOException("Channel " + this.id + " was aborted"));
		}
	}

}
