package io.github.cancellablesoap.client;

import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Customizes the template of one configured service proxy before the proxy is built, for
 * settings that differ between proxies (a marshaller, interceptors). Boot's
 * {@code WebServiceTemplateCustomizer}s apply to every proxy as well.
 *
 * @author Cancellable SOAP
 */
@FunctionalInterface
public interface ServiceProxyCustomizer {

	/**
	 * Customize a proxy's template.
	 * @param proxyName the proxy's name
	 * @param template the template; its message senders are replaced by the proxy's
	 * transport
	 */
	void customize(String proxyName, WebServiceTemplate template);

}
