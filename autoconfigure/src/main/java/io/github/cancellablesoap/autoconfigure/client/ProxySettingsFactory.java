package io.github.cancellablesoap.autoconfigure.client;

import java.net.URI;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.PropertyChecks;
import io.github.cancellablesoap.autoconfigure.ProxyProperties;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.core.Addresses;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;
import org.springframework.ws.soap.SoapVersion;

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
		return builder.build();
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
