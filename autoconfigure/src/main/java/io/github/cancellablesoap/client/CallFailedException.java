package io.github.cancellablesoap.client;

import java.io.IOException;

/**
 * Thrown to a caller whose call failed because the proxy could not set up TLS with its
 * service: the handshake failed (a certificate the proxy does not trust or that does not
 * name the service's host, a client certificate the service refused or did not get, no
 * protocol or cipher suite in common). The message says so and why; the cause is the
 * JDK's {@link javax.net.ssl.SSLException}. Other transport failures reach the caller as
 * Spring WS's {@link org.springframework.ws.client.WebServiceIOException}, as with a
 * plain {@code WebServiceTemplate}.
 *
 * @author Cancellable SOAP
 */
public class CallFailedException extends ServiceCallException {

	public CallFailedException(String callId, String proxyName, IOException cause) {
		super("Call " + callId + " on proxy '" + proxyName + "' failed: " + cause.getMessage(), callId, proxyName,
				CallOutcome.FAILED, cause);
	}

}
