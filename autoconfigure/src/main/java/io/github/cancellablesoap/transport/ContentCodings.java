package io.github.cancellablesoap.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * Undoes the content coding of a response body: gzip (or its alias x-gzip) and deflate
 * (zlib, or the raw deflate some servers send under that name) are inflated, identity is
 * left alone. Spring WS looks for "gzip" anywhere in the first {@code Content-Encoding}
 * header and hands any other coding to the XML parser as if it were plain; here any other
 * coding, or more than one, fails the call with a message that names it, since no parser
 * could read it.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
final class ContentCodings {

	/** The value of the {@code Accept-Encoding} header of every request. */
	static final String ACCEPTED = "gzip, deflate";

	private ContentCodings() {
	}

	/**
	 * The body with its content coding undone.
	 * @param body the body as received
	 * @param length the body's length
	 * @param head the response head
	 * @param channelId the channel that received it, for messages
	 * @return a stream of the decoded body, or {@code null} when the body is not encoded
	 * @throws IOException when the coding is not gzip or identity, or the gzip header is
	 * broken
	 */
	static @Nullable InputStream decoder(byte[] body, int length, HttpResponse head, String channelId)
			throws IOException {
		if (!head.containsHeader(HttpHeaders.CONTENT_ENCODING)) {
			return null;
		}
		String coding = null;
		Iterator<Header> headers = head.headerIterator(HttpHeaders.CONTENT_ENCODING);
		while (headers.hasNext()) {
			for (String token : headers.next().getValue().split(",")) {
				String name = token.trim().toLowerCase(Locale.ROOT);
				if (name.isEmpty() || name.equals("identity")) {
					continue;
				}
				if (coding != null) {
					throw unsupported(channelId, coding + ", " + name);
				}
				coding = name;
			}
		}
		return decode(body, length, coding, channelId);
	}

	private static @Nullable InputStream decode(byte[] body, int length, @Nullable String coding, String channelId)
			throws IOException {
		if (coding == null) {
			return null;
		}
		if (coding.equals("gzip") || coding.equals("x-gzip")) {
			return new GZIPInputStream(new ByteArrayInputStream(body, 0, length), 8192);
		}
		if (coding.equals("deflate")) {
			// RFC 9110 says zlib; some servers send raw deflate: a zlib stream starts
			// with
			// a header whose method is 8 and whose two bytes are a multiple of 31
			boolean zlib = length >= 2 && (body[0] & 0x0F) == 8 && ((body[0] & 0xFF) << 8 | (body[1] & 0xFF)) % 31 == 0;
			return new InflaterInputStream(new ByteArrayInputStream(body, 0, length), new Inflater(!zlib), 8192) {

				@Override
				public void close() throws IOException {
					super.close();
					this.inf.end();
				}

			};
		}
		throw unsupported(channelId, coding);
	}

	private static IOException unsupported(String channelId, String coding) {
		String shown = (coding.length() > 64) ? coding.substring(0, 64) + "..." : coding;
		return new IOException("Response on channel " + channelId + " has Content-Encoding '" + shown
				+ "', which proxies cannot decode (only gzip and deflate)");
	}

}
