package io.github.cancellablesoap.client;

import java.io.OutputStream;

import javax.xml.transform.Result;
import javax.xml.transform.Source;

import org.springframework.ws.WebServiceMessage;

/**
 * Stands in for the request message of a pending call of the non-blocking form once it
 * was sent, when the proxy's template has no client interceptor (the only readers of the
 * request after sending), so that a pending call does not keep the request's DOM: the
 * template's response checks ({@code hasError}, {@code handleError}, {@code handleFault})
 * receive it and, as Spring WS's own implementations do, only name it in debug logs. Its
 * content can no longer be read.
 * <p>
 * Immutable.
 */
final class SentRequest implements WebServiceMessage {

	private final String callId;

	SentRequest(String callId) {
		this.callId = callId;
	}

	@Override
	public Source getPayloadSource() {
		throw released();
	}

	@Override
	public Result getPayloadResult() {
		throw released();
	}

	@Override
	public void writeTo(OutputStream outputStream) {
		throw released();
	}

	private UnsupportedOperationException released() {
		return new UnsupportedOperationException(this + ": released once sent (the proxy's template has "
				+ "no client interceptor); read the request in a WebServiceMessageCallback before it is sent");
	}

	@Override
	public String toString() {
		return "request of call " + this.callId + " (sent; released)";
	}

}
