package io.github.cancellablesoap.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Settings of one service host, under {@code cancellable-soap.hosts.<name>}; unset values
 * come from {@code host-defaults}, then from the built-in defaults.
 * <p>
 * Not thread-safe: bound once, while the context starts, and only read afterwards.
 *
 * @author Cancellable SOAP
 */
public class HostProperties extends HostDefaultsProperties {

	/**
	 * Servlet path the host serves SOAP requests on, such as /soap/orders; each host
	 * needs its own.
	 */
	private @Nullable String path;

	/**
	 * Bean name of the Wsdl11Definition the host publishes at its path with ?wsdl
	 * (default: the application's only one).
	 */
	private @Nullable String wsdlDefinition;

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

	public @Nullable String getWsdlDefinition() {
		return this.wsdlDefinition;
	}

	public void setWsdlDefinition(@Nullable String wsdlDefinition) {
		this.wsdlDefinition = wsdlDefinition;
	}

}
