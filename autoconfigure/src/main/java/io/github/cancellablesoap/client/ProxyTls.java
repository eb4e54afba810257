package io.github.cancellablesoap.client;

import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * The TLS settings of one service proxy, resolved from an SSL bundle: the context that
 * carries the trust material and, for mutual TLS, the proxy's key, with the protocols and
 * cipher suites the bundle allows. Host name verification is not a setting: a proxy
 * always checks that the service's certificate names the host of its address.
 * <p>
 * Immutable and thread-safe. Its {@link #toString()} names the bundle only, never key
 * material.
 *
 * @param bundle the name of the bundle the settings came from, for messages
 * @param sslContext the context the proxy's connections use
 * @param protocols the enabled protocols, or {@code null} for the context's defaults
 * @param ciphers the enabled cipher suites, or {@code null} for the context's defaults
 * @author Cancellable SOAP
 */
public record ProxyTls(String bundle, SSLContext sslContext, @Nullable List<String> protocols,
		@Nullable List<String> ciphers) {

	public ProxyTls {
		Objects.requireNonNull(bundle, "bundle");
		Objects.requireNonNull(sslContext, "sslContext");
		protocols = (protocols != null) ? List.copyOf(protocols) : null;
		ciphers = (ciphers != null) ? List.copyOf(ciphers) : null;
	}

	@Override
	public String toString() {
		return "ProxyTls[bundle=" + this.bundle + ", protocols=" + this.protocols + ", ciphers=" + this.ciphers + "]";
	}

}
