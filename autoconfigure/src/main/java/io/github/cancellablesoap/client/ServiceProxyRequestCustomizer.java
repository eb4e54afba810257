package io.github.cancellablesoap.client;

import java.net.URI;
import java.util.function.BiConsumer;

/**
 * Adds headers to each request of the configured service proxies, for credentials other
 * than HTTP Basic (a bearer token that expires, a signed header): it runs on the caller's
 * thread for every request, just before it is sent, after its body is written. Declare it
 * as a bean; every proxy runs every such bean, in order, and a bean that serves some
 * proxies only looks at the proxy name. The call's own protocol headers
 * ({@code Soap-Call-*}) and the configured {@code credentials} are set after it and
 * cannot be replaced.
 * <p>
 * A customizer that throws fails that call (with a {@code ServiceCallException} whose
 * cause names the customizer's exception); the proxy and its other calls are unaffected.
 * Implementations are called by many callers at once and must be thread-safe.
 *
 * @author Cancellable SOAP
 */
@FunctionalInterface
public interface ServiceProxyRequestCustomizer {

	/**
	 * Add headers to one request.
	 * @param proxyName the name of the proxy making the call
	 * @param uri the address the request goes to
	 * @param headers sets a header (replacing one of the same name)
	 * @throws Exception to fail the call
	 */
	void customize(String proxyName, URI uri, BiConsumer<String, String> headers) throws Exception;

}
