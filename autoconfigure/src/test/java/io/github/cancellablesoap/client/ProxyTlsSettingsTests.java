package io.github.cancellablesoap.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A proxy's TLS settings: only for https addresses, immutable, and shown without key
 * material.
 */
class ProxyTlsSettingsTests {

	@Test
	void tlsSettingsNeedAnHttpsAddress() throws Exception {
		ProxyTls tls = new ProxyTls("billing", SSLContext.getDefault(), null, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProxySettings.builder("billing", URI.create("http://localhost/ws")).tls(tls).build())
			.withMessage("Proxy 'billing': SSL bundle 'billing' needs an https address, not http://localhost/ws");
		assertThat(ProxySettings.builder("billing", URI.create("https://localhost/ws")).tls(tls).build().tls())
			.isSameAs(tls);
	}

	@Test
	void protocolsAndCiphersAreCopiedAndTheContextIsNotShown() throws Exception {
		List<String> protocols = new ArrayList<>(List.of("TLSv1.3"));
		ProxyTls tls = new ProxyTls("billing", SSLContext.getDefault(), protocols, null);
		protocols.add("TLSv1.2");
		assertThat(tls.protocols()).containsExactly("TLSv1.3");
		assertThat(tls).hasToString("ProxyTls[bundle=billing, protocols=[TLSv1.3], ciphers=null]");
	}

	@Test
	void withoutABundleAProxyUsesTheJvmsDefaults() {
		assertThat(ProxySettings.builder("billing", URI.create("https://localhost/ws")).build().tls()).isNull();
	}

}
