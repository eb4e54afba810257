package io.github.cancellablesoap.autoconfigure.client;

import java.net.URI;
import java.time.Duration;
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
import io.github.cancellablesoap.core.Addresses;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Turns the {@code cancellable-soap.proxies.<name>} properties, over
 * {@code cancellable-soap.proxy-defaults}, into immutable {@link ProxySettings}, failing
 * with the property's full name and what to fix.
 *
 * @author Cancellable SOAP
 */
final class ProxySettingsFactory {

	private final CancellableSoapProperties properties;

	ProxySettingsFactory(CancellableSoapProperties properties) {
		this.properties = properties;
	}

	ProxySettings create(String name) {
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
		apply(proxy, prefix + "max-response-size", ProxyProperties::getMaxResponseSize, ProxySettingsFactory::bytes,
				builder::maxResponseBytes);
		apply(proxy, prefix + "max-response-header-size", ProxyProperties::getMaxResponseHeaderSize,
				ProxySettingsFactory::bytes, builder::maxResponseHeaderBytes);
		apply(proxy, prefix + "max-response-headers", ProxyProperties::getMaxResponseHeaders,
				PropertyChecks::atLeastOne, builder::maxResponseHeaders);
		apply(proxy, prefix + "max-xml-depth", ProxyProperties::getMaxXmlDepth, PropertyChecks::atLeastOne,
				builder::maxXmlDepth);
		builder.connection(connection(proxy, prefix));
		return builder.build();
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
			throw new InvalidConfigurationPropertyValueException(prefix + "username", username,
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

}
