package io.github.cancellablesoap.transport;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * A complete HTTP response, head and buffered body, handed from the I/O thread to the
 * caller.
 *
 * @param head the status line and headers
 * @param body the body bytes; only the first {@code length} are meaningful
 * @param length the body length
 * @author Cancellable SOAP
 */
record ExchangeResponse(HttpResponse head, byte[] body, int length) {

	Header[] headers(String name) {
		return this.head.getHeaders(name);
	}

}
