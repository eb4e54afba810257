package io.github.cancellablesoap.autoconfigure.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.PropertyChecks;
import io.github.cancellablesoap.autoconfigure.ProxyProperties;
import io.github.cancellablesoap.client.BasicCredentials;
import io.github.cancellablesoap.client.ForwardProxy;
import io.github.cancellablesoap.client.PoolSettings;
import io.github.cancellablesoap.client.ConnectionSettings;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ProxyTls;
import io.github.cancellablesoap.core.Addresses;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.unit.DataSize;
import org.springframework.ws.soap.SoapVersion;

/**
 * Turns the {@code cancellable-soap.proxies.<name>} properties, over
 * {@code cancellable-soap.proxy-defaults} and Boot's {@code spring.http.clients.*}
 * defaults, into immutable {@link ProxySettings}, failing with the property's full name
 * and what to fix. SSL bundles are resolved when the proxy is created, through Boot's
 * {@link SslBundles}; the rest is checked as soon as the properties are bound.
 *
 * @author Cancellable SOAP
 */
final class ProxySettingsFactory {

	private final CancellableSoapProperties properties;

	private final BootHttpClientDefaults boot;

	ProxySettingsFactory(CancellableSoapProperties properties) {
		this(properties, BootHttpClientDefaults.NONE);
	}

	ProxySettingsFactory(CancellableSoapProperties properties, BootHttpClientDefaults boot) {
		this.properties = properties;
		this.boot = boot;
	}

	/**
	 * Check a proxy's settings, all but the contents of its SSL bundle.
	 * @param name the proxy name
	 * @return the settings, without TLS
	 */
	ProxySettings create(String name) {
		return builder(name).build();
	}

	/**
	 * The settings of a proxy, its SSL bundle resolved.
	 * @param name the proxy name
	 * @param bundles Boot's SSL bundles, or {@code null} when the application has none
	 * @return the settings
	 */
	ProxySettings create(String name, @Nullable SslBundles bundles) {
		ProxySettings.Builder builder = builder(name);
		ProxyProperties proxy = this.properties.getProxies().get(name);
		TlsChoice choice = tlsChoice(name, proxy);
		if (choice != null) {
			builder.tls(resolve(name, choice, bundles));
		}
		return builder.build();
	}

	private ProxySettings.Builder builder(String name) {
		ProxyProperties proxy = this.properties.getProxies().get(name);
		if (proxy == null) {
			throw new IllegalArgumentException("No proxy named '" + name + "' is configured");
		}
		String prefix = CancellableSoapProperties.PREFIX + ".proxies." + name + ".";
		PropertyChecks.name(CancellableSoapProperties.PREFIX + ".proxies", "service proxy", name);
		URI address = value(proxy, ProxyProperties::getAddress);
		if (address == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "address", null,
					"Every proxy needs the absolute http or https address of its service");
		}
		String scheme = address.getScheme();
		if (!address.isAbsolute() || address.getHost() == null
				|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
			throw new InvalidConfigurationPropertyValueException(prefix + "address", Addresses.redact(address),
					"The address must be an absolute http or https URI, such as http://host:8080/ws");
		}
		if (address.getRawUserInfo() != null) {
			// The value is shown redacted: the property error must not print the secret.
			throw new InvalidConfigurationPropertyValueException(prefix + "address", Addresses.redact(address),
					"Remove the user info from the address: " + ProxySettings.USER_INFO_ADVICE);
		}
		ProxySettings.Builder builder = ProxySettings.builder(name, address);
		apply(proxy, prefix + "call-timeout", ProxyProperties::getCallTimeout, PropertyChecks::positive,
				builder::callTimeout);
		apply(proxy, prefix + "timeout-action", ProxyProperties::getTimeoutAction, (property, action) -> action,
				builder::timeoutAction);
		apply(proxy, prefix + "max-pending-calls", ProxyProperties::getMaxPendingCalls, PropertyChecks::atLeastOne,
				builder::maxPendingCalls);
		apply(proxy, prefix + "close-timeout", ProxyProperties::getCloseTimeout, PropertyChecks::notNegative,
				builder::closeTimeout);
		apply(proxy, prefix + "abandoned-io-timeout", ProxyProperties::getAbandonedIoTimeout, PropertyChecks::positive,
				builder::abandonedIoTimeout);
		apply(proxy, prefix + "connect-timeout", ProxyProperties::getConnectTimeout, PropertyChecks::positive,
				builder::connectTimeout);
		if (value(proxy, ProxyProperties::getConnectTimeout) == null && this.boot.connectTimeout() != null) {
			builder.connectTimeout(PropertyChecks.positive(BootHttpClientDefaults.PREFIX + ".connect-timeout",
					this.boot.connectTimeout()));
		}
		tlsChoice(name, proxy);
		apply(proxy, prefix + "max-response-size", ProxyProperties::getMaxResponseSize, ProxySettingsFactory::bytes,
				builder::maxResponseBytes);
		apply(proxy, prefix + "max-response-header-size", ProxyProperties::getMaxResponseHeaderSize,
				ProxySettingsFactory::bytes, builder::maxResponseHeaderBytes);
		apply(proxy, prefix + "max-response-headers", ProxyProperties::getMaxResponseHeaders,
				PropertyChecks::atLeastOne, builder::maxResponseHeaders);
		apply(proxy, prefix + "max-xml-depth", ProxyProperties::getMaxXmlDepth, PropertyChecks::atLeastOne,
				builder::maxXmlDepth);
		builder.connection(connection(proxy, prefix));
		return builder;
	}

	/**
	 * Which SSL bundle a proxy uses, from which property: its own {@code ssl-bundle},
	 * then {@code proxy-defaults}, then {@code spring.http.clients.ssl.bundle}. A default
	 * does not apply to a plain http address; the proxy's own setting there is an error.
	 */
	private @Nullable TlsChoice tlsChoice(String name, @Nullable ProxyProperties proxy) {
		if (proxy == null) {
			return null;
		}
		String prefix = CancellableSoapProperties.PREFIX + ".proxies." + name + ".";
		URI address = value(proxy, ProxyProperties::getAddress);
		boolean https = address != null && "https".equalsIgnoreCase(address.getScheme());
		String own = blankToNull(proxy.getSslBundle());
		if (own != null) {
			if (!https) {
				throw new InvalidConfigurationPropertyValueException(prefix + "ssl-bundle", own,
						"An SSL bundle applies to https addresses only; the address of proxy '" + name
								+ "' is not one: use https in the address or remove the bundle");
			}
			return new TlsChoice(prefix + "ssl-bundle", own);
		}
		if (!https) {
			return null;
		}
		String shared = blankToNull(this.properties.getProxyDefaults().getSslBundle());
		if (shared != null) {
			return new TlsChoice(CancellableSoapProperties.PREFIX + ".proxy-defaults.ssl-bundle", shared);
		}
		String boot = this.boot.sslBundle();
		return (boot != null) ? new TlsChoice(BootHttpClientDefaults.PREFIX + ".ssl.bundle", boot) : null;
	}

	private static ProxyTls resolve(String name, TlsChoice choice, @Nullable SslBundles bundles) {
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(choice.property(), choice.bundle(), "Proxy '" + name
					+ "' names SSL bundle '" + choice.bundle()
					+ "', but the application has no SslBundles bean (is Boot's SslAutoConfiguration excluded?)");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(choice.bundle());
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(choice.property(), choice.bundle(), "Proxy '" + name
					+ "' names SSL bundle '" + choice.bundle()
					+ "', which is not configured: declare it under spring.ssl.bundle.pem or spring.ssl.bundle.jks");
		}
		SslOptions options = bundle.getOptions();
		return new ProxyTls(choice.bundle(), bundle.createSslContext(), list(options.getEnabledProtocols()),
				list(options.getCiphers()));
	}

	private static @Nullable List<String> list(String @Nullable [] values) {
		return (values != null && values.length > 0) ? List.of(values) : null;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value != null && !value.isBlank()) ? value.trim() : null;
	}

	/**
	 * The SSL bundle a proxy uses and the property that named it.
	 */
	private record TlsChoice(String property, String bundle) {

	}

	/**
	 * The forward proxy, credentials, compression and pool settings. A group (forward
	 * proxy, credentials) comes whole from the proxy when it sets any of its values, else
	 * whole from {@code proxy-defaults}, so a user name never pairs with another group's
	 * password; pool settings fall back one by one. Errors never show a password.
	 */
	private ConnectionSettings connection(ProxyProperties proxy, String prefix) {
		ProxyProperties.ForwardProxy own = proxy.getForwardProxy();
		ProxyProperties.ForwardProxy forward = (own.getHost() != null || own.getPort() != null
				|| own.getUsername() != null || own.getPassword() != null || !own.getNonProxyHosts().isEmpty()) ? own
						: this.properties.getProxyDefaults().getForwardProxy();
		ProxyProperties.Credentials ownCredentials = proxy.getCredentials();
		ProxyProperties.Credentials credentials = (ownCredentials.getUsername() != null
				|| ownCredentials.getPassword() != null) ? ownCredentials
						: this.properties.getProxyDefaults().getCredentials();
		Boolean compress = value(proxy, ProxyProperties::getCompressRequests);
		Duration idle = value(proxy, (p) -> p.getPool().getIdleTimeout());
		Duration ttl = value(proxy, (p) -> p.getPool().getTimeToLive());
		Duration validate = value(proxy, (p) -> p.getPool().getValidateAfterInactivity());
		PoolSettings pool = new PoolSettings(
				(idle != null) ? PropertyChecks.notNegative(prefix + "pool.idle-timeout", idle)
						: PoolSettings.DEFAULT_IDLE_TIMEOUT,
				(ttl != null) ? PropertyChecks.positive(prefix + "pool.time-to-live", ttl) : null,
				(validate != null) ? PropertyChecks.notNegative(prefix + "pool.validate-after-inactivity", validate)
						: PoolSettings.DEFAULT_VALIDATE_AFTER_INACTIVITY);
		return new ConnectionSettings(forwardProxy(forward, prefix + "forward-proxy."),
				basic(credentials.getUsername(), credentials.getPassword(), prefix + "credentials."),
				Boolean.TRUE.equals(compress), pool);
	}

	private static @Nullable ForwardProxy forwardProxy(ProxyProperties.ForwardProxy forward, String prefix) {
		String host = forward.getHost();
		if (host == null) {
			if (forward.getUsername() != null || forward.getPassword() != null || forward.getPort() != null
					|| !forward.getNonProxyHosts().isEmpty()) {
				throw new InvalidConfigurationPropertyValueException(prefix + "host", null,
						"Set the forward proxy's host, or remove its other settings");
			}
			return null;
		}
		if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace) || host.contains("/")
				|| host.contains("@")) {
			throw new InvalidConfigurationPropertyValueException(prefix + "host", host,
					"The forward proxy host is a host name or address only, such as proxy.example.com");
		}
		int port = (forward.getPort() != null) ? forward.getPort() : 3128;
		if (port < 1 || port > 65535) {
			throw new InvalidConfigurationPropertyValueException(prefix + "port", port,
					"The forward proxy port must be between 1 and 65535");
		}
		BasicCredentials credentials = basic(forward.getUsername(), forward.getPassword(), prefix);
		for (int i = 0; i < forward.getNonProxyHosts().size(); i++) {
			String pattern = forward.getNonProxyHosts().get(i);
			if (pattern == null || pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace)
					|| pattern.contains("|")) {
				throw new InvalidConfigurationPropertyValueException(prefix + "non-proxy-hosts[" + i + "]", pattern,
						"Each entry is one host name or address, with * for any characters, such as *.internal");
			}
		}
		return new ForwardProxy(host, port, credentials, forward.getNonProxyHosts());
	}

	private static @Nullable BasicCredentials basic(@Nullable String username, @Nullable String password,
			String prefix) {
		if (username == null) {
			if (password != null) {
				throw new InvalidConfigurationPropertyValueException(prefix + "username", null,
						"A password is set without a user name: set " + prefix + "username too");
			}
			return null;
		}
		if (username.isEmpty() || username.indexOf(':') >= 0) {
			// the value is not shown: "user:password" in the user name is a common
			// mistake
			throw new InvalidConfigurationPropertyValueException(prefix + "username", null,
					"An HTTP Basic user name must be non-empty and contain no colon");
		}
		if (password == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "password", null,
					"A user name is set without a password: set " + prefix + "password too (it may be empty)");
		}
		return new BasicCredentials(username, password);
	}

	/**
	 * Check the proxy's value, or else the one from {@code proxy-defaults}, and hand it
	 * to the builder; errors name the proxy's property either way.
	 */
	private <T, V> void apply(ProxyProperties proxy, String property, Function<ProxyProperties, @Nullable T> getter,
			BiFunction<String, T, V> check, Consumer<V> builder) {
		T value = value(proxy, getter);
		if (value != null) {
			builder.accept(check.apply(property, value));
		}
	}

	private <T> @Nullable T value(ProxyProperties proxy, Function<ProxyProperties, @Nullable T> getter) {
		T own = getter.apply(proxy);
		return (own != null) ? own : getter.apply(this.properties.getProxyDefaults());
	}

	private static int bytes(String property, DataSize size) {
		return (int) PropertyChecks.bytes(property, size, Integer.MAX_VALUE - 8, "2047MB");
	}

	/**
	 * The SOAP version a proxy's requests use, from {@code soap-version} or
	 * {@code proxy-defaults.soap-version}.
	 * @param name the proxy's name
	 * @return the version, or {@code null} to keep the template's message factory as it
	 * is (SOAP 1.1 unless a customizer set another)
	 */
	@Nullable SoapVersion soapVersion(String name) {
		ProxyProperties proxy = this.properties.getProxies().get(name);
		String own = (proxy != null) ? proxy.getSoapVersion() : null;
		String value = (own != null) ? own : this.properties.getProxyDefaults().getSoapVersion();
		if (value == null) {
			return null;
		}
		return switch (value.strip()) {
			case "1.1" -> SoapVersion.SOAP_11;
			case "1.2" -> SoapVersion.SOAP_12;
			default -> throw new InvalidConfigurationPropertyValueException(CancellableSoapProperties.PREFIX
					+ ((own != null) ? ".proxies." + name : ".proxy-defaults") + ".soap-version", value,
					"The SOAP version must be 1.1 or 1.2");
		};
	}

}
