package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * Reads the content coding of a response body: gzip (or its alias x-gzip) and deflate
 * (zlib, or the raw deflate some servers send under that name) are inflated by
 * {@link InflatingBody} as the body arrives, identity is left alone. Spring WS looks for
 * "gzip" anywhere in the first {@code Content-Encoding} header and hands any other coding
 * to the XML parser as if it were plain; here any other coding, or more than one, fails
 * the call with a message that names it, since no parser could read it.
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
	 * The content coding of a response body.
	 * @param head the response head
	 * @param channelId the channel that receives it, for messages
	 * @return {@code gzip} (for gzip and x-gzip), {@code deflate}, or {@code null} when
	 * the body is not encoded
	 * @throws IOException when the coding is neither, or there is more than one
	 */
	static @Nullable String coding(HttpResponse head, String channelId) throws IOException {
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
		if (coding == null || coding.equals("deflate")) {
			return coding;
		}
		if (coding.equals("gzip") || coding.equals("x-gzip")) {
			return "gzip";
		}
		throw unsupported(channelId, coding);
	}

	private static IOException unsupported(String channelId, String coding) {
		String shown = (coding.length() > 64) ? coding.substring(0, 64) + "..." : coding;
		return new IOException("Response on channel " + channelId + " has Content-Encoding '" + shown
				+ "', which proxies cannot decode (only gzip and deflate)");
	}

}
