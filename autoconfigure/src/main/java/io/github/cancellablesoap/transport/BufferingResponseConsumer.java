package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.core.WireProtocol;

/**
 * Buffers one response of an {@link HttpExchange}, bounded in size, reporting when
 * receiving starts and refusing more data once the exchange was aborted. A gzip or
 * deflate body is inflated as it arrives ({@link InflatingBody}), the bound applying to
 * the bytes received and again to the inflated ones, so that a compression bomb fails
 * while it streams; the caller receives the decoded body.
 * <p>
 * Called by one I/O thread at a time, as HttpClient guarantees.
 */
final class BufferingResponseConsumer implements AsyncResponseConsumer<ExchangeResponse> {

	private static final byte[] EMPTY = new byte[0];

	private final HttpExchange exchange;

	private final int maxBytes;

	private @Nullable HttpResponse head;

	private @Nullable FutureCallback<ExchangeResponse> resultCallback;

	private byte[] buffer = EMPTY;

	private int length;

	/** The inflater of an encoded body, {@code null} for a plain one. */
	private @Nullable InflatingBody inflating;

	BufferingResponseConsumer(HttpExchange exchange, int maxBytes) {
		this.exchange = exchange;
		this.maxBytes = maxBytes;
	}

	@Override
	public void consumeResponse(HttpResponse response, @Nullable EntityDetails entityDetails, HttpContext context,
			FutureCallback<ExchangeResponse> resultCallback) throws HttpException, IOException {
		checkNotAborted();
		this.exchange.phase(CallPhase.RECEIVING);
		Header support = response.getFirstHeader(WireProtocol.CANCEL_SUPPORT_HEADER);
		this.exchange.answered((support != null) ? support.getValue() : null);
		this.head = response;
		this.resultCallback = resultCallback;
		if (entityDetails == null) {
			resultCallback.completed(new ExchangeResponse(response, EMPTY, 0));
			return;
		}
		long declared = entityDetails.getContentLength();
		if (declared > this.maxBytes) {
			throw tooLarge(declared);
		}
		String coding = ContentCodings.coding(response, this.exchange.id());
		if (coding != null) {
			this.inflating = new InflatingBody(coding.equals("gzip"), declared, this.maxBytes, this.exchange.id());
			return;
		}
		this.buffer = new byte[(declared > 0) ? (int) declared : 8192];
	}

	@Override
	public void informationResponse(HttpResponse response, HttpContext context) {
	}

	@Override
	public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
		capacityChannel.update(Integer.MAX_VALUE);
	}

	@Override
	public void consume(ByteBuffer src) throws IOException {
		checkNotAborted();
		int count = src.remaining();
		if (count > this.maxBytes - this.length) {
			throw tooLarge((long) this.length + count);
		}
		InflatingBody inflater = this.inflating;
		if (inflater != null) {
			this.length += count;
			inflater.feed(src);
			return;
		}
		if (this.length + count > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer,
					(int) Math.min(this.maxBytes, Math.max(this.length + count, 2L * this.buffer.length)));
		}
		src.get(this.buffer, this.length, count);
		this.length += count;
	}

	@Override
	public void streamEnd(@Nullable List<? extends Header> trailers) throws IOException {
		FutureCallback<ExchangeResponse> callback = this.resultCallback;
		HttpResponse response = this.head;
		if (callback != null && response != null) {
			InflatingBody inflater = this.inflating;
			if (inflater != null) {
				byte[] inflated = inflater.finish();
				callback.completed(new ExchangeResponse(response, inflated, inflater.size()));
			}
			else {
				callback.completed(new ExchangeResponse(response, this.buffer, this.length));
			}
		}
	}

	@Override
	public void failed(Exception cause) {
		releaseResources();
	}

	@Override
	public void releaseResources() {
		InflatingBody inflater = this.inflating;
		if (inflater != null) {
			inflater.end();
		}
	}

	private void checkNotAborted() throws InterruptedIOException {
		if (this.exchange.isAborted()) {
			throw new InterruptedIOException("Channel " + this.exchange.id() + " was aborted");
		}
	}

	private IOException tooLarge(long size) {
		return new IOException("Response of at least " + size + " bytes exceeds the limit of " + this.maxBytes
				+ " bytes on channel " + this.exchange.id());
	}

}
