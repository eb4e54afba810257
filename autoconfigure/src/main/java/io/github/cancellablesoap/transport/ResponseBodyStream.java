package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;

import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.XmlStructureException;
import io.github.cancellablesoap.core.XmlStructureGuard;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;

/**
 * The response body as the caller's parser reads it: checked against every bound a
 * hostile peer could push on it before the parser sees a byte, then watched while the
 * parser reads it. The body arrives decoded and within {@code max-response-size} (a
 * compressed one was inflated as it streamed in, see {@link InflatingBody}); opening it
 * follows the document's nesting against {@code max-xml-depth}, so a body past that bound
 * fails there, with an error that names the bound, not somewhere in the parser's wrapping
 * of it. Every read also stops once the call's time is up: the response won the call's
 * race, so the call's own clock no longer watches it, and nothing but the caller's thread
 * itself could stop it. A multipart body (SOAP with attachments, MTOM) is bounded in size
 * only: its parts are not one XML document.
 * <p>
 * Not thread-safe: read by the caller's thread only.
 *
 * @author Cancellable SOAP
 */
final class ResponseBodyStream extends InputStream {

	private final HttpExchange exchange;

	private final String callId;

	private final long deadlineNanos;

	private byte[] buf;

	private int pos;

	private int count;

	private ResponseBodyStream(byte[] body, int length, HttpExchange exchange, String callId, long deadlineNanos) {
		this.buf = body;
		this.count = length;
		this.exchange = exchange;
		this.callId = callId;
		this.deadlineNanos = deadlineNanos;
	}

	/**
	 * Open a received body for the caller's parser.
	 * @param response the response, its body buffered (within {@code max-response-size})
	 * @param exchange the exchange that received it
	 * @param callId the call it answers
	 * @param settings the proxy's bounds
	 * @param deadlineNanos when the call's time is up, on {@link System#nanoTime()} (for
	 * the non-blocking form, moved by the time the complete answer waited for its
	 * processing thread)
	 * @return the body, checked
	 * @throws IOException when the body breaks a bound, or the call ran out of time
	 * meanwhile
	 */
	static ResponseBodyStream open(ExchangeResponse response, HttpExchange exchange, String callId,
			ProxySettings settings, long deadlineNanos) throws IOException {
		byte[] body = response.body();
		int length = response.length();
		ResponseBodyStream opened = new ResponseBodyStream(body, length, exchange, callId, deadlineNanos);
		if (!isMultipart(response.head())) {
			opened.checkStructure(settings.maxXmlDepth());
		}
		return opened;
	}

	private void checkStructure(int maxDepth) throws IOException {
		try {
			new XmlStructureGuard(maxDepth).feed(this.buf, this.pos, this.count - this.pos);
		}
		catch (XmlStructureException ex) {
			throw new IOException("Response on channel " + this.exchange.id() + " refused: " + ex.getMessage()
					+ (ex.isLimitExceeded() ? " (max-xml-depth)" : ""), ex);
		}
	}

	private static boolean isMultipart(HttpResponse head) {
		Header contentType = head.getFirstHeader(HttpHeaders.CONTENT_TYPE);
		String value = (contentType != null) ? contentType.getValue() : null;
		return value != null && value.regionMatches(true, 0, "multipart/", 0, 10);
	}

	@Override
	public int read() throws IOException {
		checkMayRead();
		return (this.pos < this.count) ? this.buf[this.pos++] & 0xFF : -1;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, buffer.length);
		checkMayRead();
		if (this.pos >= this.count) {
			return -1;
		}
		int read = Math.min(length, this.count - this.pos);
		System.arraycopy(this.buf, this.pos, buffer, offset, read);
		this.pos += read;
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		checkMayRead();
		long skipped = Math.max(0, Math.min(n, this.count - this.pos));
		this.pos += (int) skipped;
		return skipped;
	}

	@Override
	public int available() {
		return this.count - this.pos;
	}

	private void checkMayRead() throws InterruptedIOException {
		if (System.nanoTime() - this.deadlineNanos >= 0) {
			throw new InterruptedIOException("Call " + this.callId + " ran out of its call timeout while its response"
					+ " on channel " + this.exchange.id() + " was being read; the response is dropped");
		}
	}

}
