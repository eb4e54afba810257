package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Set;

import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.CallPhase;

/**
 * Writes a buffered request body for one {@link HttpExchange}, reporting when sending
 * starts and ends, and refusing to write once the exchange was aborted.
 * <p>
 * Called by one I/O thread at a time, as HttpClient guarantees.
 */
final class RequestBodyProducer implements AsyncEntityProducer {

	private final HttpExchange exchange;

	private final ByteBuffer body;

	private final @Nullable String contentType;

	private boolean started;

	RequestBodyProducer(HttpExchange exchange, byte[] body, int length, @Nullable String contentType) {
		this.exchange = exchange;
		this.body = ByteBuffer.wrap(body, 0, length);
		this.contentType = contentType;
	}

	@Override
	public boolean isRepeatable() {
		return false;
	}

	@Override
	public long getContentLength() {
		return this.body.limit();
	}

	@Override
	public @Nullable String getContentType() {
		return this.contentType;
	}

	@Override
	public @Nullable String getContentEncoding() {
		return null;
	}

	@Override
	public boolean isChunked() {
		return false;
	}

	@Override
	public @Nullable Set<String> getTrailerNames() {
		return null;
	}

	@Override
	public int available() {
		return this.body.remaining();
	}

	@Override
	public void produce(DataStreamChannel channel) throws IOException {
		boolean first = !this.started;
		if (first) {
			// mark the request as going out before reading the abort flag, as abort()
			// sets
			// its flag before reading this one: either this sees the abort and writes
			// nothing, or the abort sees the request going out and sends its cancel
			this.started = true;
			this.exchange.sending();
		}
		if (this.exchange.isAborted()) {
			throw new InterruptedIOException("Channel " + this.exchange.id() + " was aborted");
		}
		if (first) {
			this.exchange.phase(CallPhase.SENDING);
		}
		while (this.body.hasRemaining()) {
			if (channel.write(this.body) == 0) {
				return;
			}
		}
		channel.endStream();
		this.exchange.phase(CallPhase.WAITING_FOR_RESPONSE);
	}

	@Override
	public void failed(Exception cause) {
	}

	@Override
	public void releaseResources() {
	}

}
