package io.github.cancellablesoap.autoconfigure.client;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.TimeoutAction;
import io.github.cancellablesoap.core.Addresses;
import io.github.cancellablesoap.core.Names;
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
		CancellableSoapProperties.Proxy proxy = this.properties.getProxies().get(name);
		if (proxy == null) {
			throw new IllegalArgumentException("No proxy named '" + name + "' is configured");
		}
		String prefix = CancellableSoapProperties.PREFIX + ".proxies." + name + ".";
		try {
			Names.requireName("service proxy", name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(CancellableSoapProperties.PREFIX + ".proxies", name,
					ex.getMessage());
		}
		URI address = value(proxy, CancellableSoapProperties.Proxy::getAddress);
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
		Duration callTimeout = positive(prefix + "call-timeout",
				value(proxy, CancellableSoapProperties.Proxy::getCallTimeout));
		if (callTimeout != null) {
			builder.callTimeout(callTimeout);
		}
		TimeoutAction timeoutAction = value(proxy, CancellableSoapProperties.Proxy::getTimeoutAction);
		if (timeoutAction != null) {
			builder.timeoutAction(timeoutAction);
		}
		Integer maxPendingCalls = value(proxy, CancellableSoapProperties.Proxy::getMaxPendingCalls);
		if (maxPendingCalls != null) {
			if (maxPendingCalls < 1) {
				throw new InvalidConfigurationPropertyValueException(prefix + "max-pending-calls", maxPendingCalls,
						"It must be at least 1");
			}
			builder.maxPendingCalls(maxPendingCalls);
		}
		Duration closeTimeout = value(proxy, CancellableSoapProperties.Proxy::getCloseTimeout);
		if (closeTimeout != null) {
			if (closeTimeout.isNegative()) {
				throw new InvalidConfigurationPropertyValueException(prefix + "close-timeout", closeTimeout,
						"It must not be negative");
			}
			builder.closeTimeout(closeTimeout);
		}
		Duration abandonedIoTimeout = positive(prefix + "abandoned-io-timeout",
				value(proxy, CancellableSoapProperties.Proxy::getAbandonedIoTimeout));
		if (abandonedIoTimeout != null) {
			builder.abandonedIoTimeout(abandonedIoTimeout);
		}
		Duration connectTimeout = positive(prefix + "connect-timeout",
				value(proxy, CancellableSoapProperties.Proxy::getConnectTimeout));
		if (connectTimeout != null) {
			builder.connectTimeout(connectTimeout);
		}
		DataSize maxResponseSize = value(proxy, CancellableSoapProperties.Proxy::getMaxResponseSize);
		if (maxResponseSize != null) {
			if (maxResponseSize.toBytes() < 1 || maxResponseSize.toBytes() > Integer.MAX_VALUE - 8) {
				throw new InvalidConfigurationPropertyValueException(prefix + "max-response-size", maxResponseSize,
						"It must be between 1B and 2047MB");
			}
			builder.maxResponseBytes((int) maxResponseSize.toBytes());
		}
		DataSize maxResponseHeaderSize = value(proxy, CancellableSoapProperties.Proxy::getMaxResponseHeaderSize);
		if (maxResponseHeaderSize != null) {
			if (maxResponseHeaderSize.toBytes() < 1 || maxResponseHeaderSize.toBytes() > Integer.MAX_VALUE - 8) {
				throw new InvalidConfigurationPropertyValueException(prefix + "max-response-header-size",
						maxResponseHeaderSize, "It must be between 1B and 2047MB");
			}
			builder.maxResponseHeaderBytes((int) maxResponseHeaderSize.toBytes());
		}
		Integer maxResponseHeaders = value(proxy, CancellableSoapProperties.Proxy::getMaxResponseHeaders);
		if (maxResponseHeaders != null) {
			if (maxResponseHeaders < 1) {
				throw new InvalidConfigurationPropertyValueException(prefix + "max-response-headers",
						maxResponseHeaders, "It must be at least 1");
			}
			builder.maxResponseHeaders(maxResponseHeaders);
		}
		Integer maxXmlDepth = value(proxy, CancellableSoapProperties.Proxy::getMaxXmlDepth);
		if (maxXmlDepth != null) {
			if (maxXmlDepth < 1) {
				throw new InvalidConfigurationPropertyValueException(prefix + "max-xml-depth", maxXmlDepth,
						"It must be at least 1");
			}
			builder.maxXmlDepth(maxXmlDepth);
		}
		return builder.build();
	}

	private <T> @Nullable T value(CancellableSoapProperties.Proxy proxy,
			Function<CancellableSoapProperties.Proxy, @Nullable T> getter) {
		T own = getter.apply(proxy);
		return (own != null) ? own : getter.apply(this.properties.getProxyDefaults());
	}

	private static @Nullable Duration positive(String property, @Nullable Duration value) {
		if (value != null && (value.isZero() || value.isNegative())) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration");
		}
		return value;
	}

}
