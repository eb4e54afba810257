package io.github.cancellablesoap.autoconfigure.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.server.ServiceHostSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Turns the {@code cancellable-soap.hosts.<name>} properties, over
 * {@code cancellable-soap.host-defaults}, into immutable {@link ServiceHostSettings},
 * failing with the property's full name and what to fix.
 *
 * @author Cancellable SOAP
 */
final class HostSettingsFactory {

	private static final String HOSTS = CancellableSoapProperties.PREFIX + ".hosts";

	private static final String DEFAULTS = CancellableSoapProperties.PREFIX + ".host-defaults";

	private final CancellableSoapProperties properties;

	private final @Nullable String webServicesPath;

	/**
	 * Create a factory.
	 * @param properties the bound properties
	 * @param webServicesPath the path of Spring Boot's own
	 * {@code MessageDispatcherServlet} ({@code spring.webservices.path}), or {@code null}
	 * when it is not registered
	 */
	HostSettingsFactory(CancellableSoapProperties properties, @Nullable String webServicesPath) {
		this.properties = properties;
		this.webServicesPath = webServicesPath;
	}

	/**
	 * The settings of every configured host, in configuration order. Hosts serve unbound
	 * endpoints exactly when one host is configured.
	 * @return the settings, one per host
	 */
	List<ServiceHostSettings> createAll() {
		Map<String, String> hostsByPath = new LinkedHashMap<>();
		boolean single = this.properties.getHosts().size() == 1;
		return this.properties.getHosts().keySet().stream().map((name) -> {
			ServiceHostSettings settings = create(name, single);
			String other = hostsByPath.putIfAbsent(settings.path(), name);
			if (other != null) {
				throw new InvalidConfigurationPropertyValueException(HOSTS + "." + name + ".path", settings.path(),
						"Host '" + other + "' already serves " + settings.path() + " (" + HOSTS + "." + other
								+ ".path); give every host its own path");
			}
			return settings;
		}).toList();
	}

	ServiceHostSettings create(String name, boolean servesUnboundEndpoints) {
		CancellableSoapProperties.Host host = this.properties.getHosts().get(name);
		if (host == null) {
			throw new IllegalArgumentException("No host named '" + name + "' is configured");
		}
		try {
			Names.requireName("service host", name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(HOSTS, name, ex.getMessage());
		}
		String prefix = HOSTS + "." + name + ".";
		String path = host.getPath();
		if (path == null || path.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", path,
					"Every host needs the servlet path it serves, such as /soap/orders");
		}
		if (!path.startsWith("/")) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", path,
					"The path must start with '/', such as /" + path);
		}
		try {
			Names.requirePath(name, path);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", path, ex.getMessage());
		}
		if (this.webServicesPath != null && path.equals(this.webServicesPath)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", path,
					"Spring Boot's MessageDispatcherServlet already serves " + path
							+ " (spring.webservices.path); give the host another path");
		}
		ServiceHostSettings settings = ServiceHostSettings.of(name, path)
			.withServesUnboundEndpoints(servesUnboundEndpoints);
		Setting<Duration> closeTimeout = setting(name, host, "close-timeout",
				CancellableSoapProperties.HostDefaults::getCloseTimeout);
		if (closeTimeout != null) {
			settings = settings.withCloseTimeout(positive(closeTimeout));
		}
		Setting<Duration> abortGrace = setting(name, host, "abort-grace",
				CancellableSoapProperties.HostDefaults::getAbortGrace);
		if (abortGrace != null) {
			settings = settings.withAbortGrace(positive(abortGrace));
		}
		Setting<Integer> maxConcurrentOperations = setting(name, host, "max-concurrent-operations",
				CancellableSoapProperties.HostDefaults::getMaxConcurrentOperations);
		if (maxConcurrentOperations != null) {
			if (maxConcurrentOperations.value() < 1) {
				throw new InvalidConfigurationPropertyValueException(maxConcurrentOperations.property(),
						maxConcurrentOperations.value(), "It must be at least 1");
			}
			settings = settings.withMaxConcurrentOperations(maxConcurrentOperations.value());
		}
		Setting<DataSize> maxRequestSize = setting(name, host, "max-request-size",
				CancellableSoapProperties.HostDefaults::getMaxRequestSize);
		if (maxRequestSize != null) {
			long bytes = maxRequestSize.value().toBytes();
			if (bytes < 1 || bytes > ServiceHostSettings.MAX_REQUEST_BYTES_LIMIT) {
				throw new InvalidConfigurationPropertyValueException(maxRequestSize.property(), maxRequestSize.value(),
						"It must be between 1B and " + ServiceHostSettings.MAX_REQUEST_BYTES_LIMIT + "B, such as 10MB");
			}
			settings = settings.withMaxRequestBytes(bytes);
		}
		Setting<Integer> maxReceivingRequests = setting(name, host, "max-receiving-requests",
				CancellableSoapProperties.HostDefaults::getMaxReceivingRequests);
		if (maxReceivingRequests != null) {
			settings = settings.withMaxReceivingRequests(atLeastOne(maxReceivingRequests));
		}
		Setting<Duration> requestBodyTimeout = setting(name, host, "request-body-timeout",
				CancellableSoapProperties.HostDefaults::getRequestBodyTimeout);
		if (requestBodyTimeout != null) {
			settings = settings.withRequestBodyTimeout(positive(requestBodyTimeout));
		}
		Setting<Duration> maxCallTimeout = setting(name, host, "max-call-timeout",
				CancellableSoapProperties.HostDefaults::getMaxCallTimeout);
		if (maxCallTimeout != null) {
			settings = settings.withMaxCallTimeout(positive(maxCallTimeout));
		}
		Setting<Integer> maxXmlDepth = setting(name, host, "max-xml-depth",
				CancellableSoapProperties.HostDefaults::getMaxXmlDepth);
		if (maxXmlDepth != null) {
			settings = settings.withMaxXmlDepth(atLeastOne(maxXmlDepth));
		}
		return settings;
	}

	/**
	 * The host's own value, else the one from {@code host-defaults}, with the name of the
	 * property it came from.
	 */
	private <T> @Nullable Setting<T> setting(String name, CancellableSoapProperties.Host host, String property,
			Function<CancellableSoapProperties.HostDefaults, @Nullable T> getter) {
		T own = getter.apply(host);
		if (own != null) {
			return new Setting<>(HOSTS + "." + name + "." + property, own);
		}
		T shared = getter.apply(this.properties.getHostDefaults());
		return (shared != null) ? new Setting<>(DEFAULTS + "." + property, shared) : null;
	}

	private static int atLeastOne(Setting<Integer> setting) {
		if (setting.value() < 1) {
			throw new InvalidConfigurationPropertyValueException(setting.property(), setting.value(),
					"It must be at least 1");
		}
		return setting.value();
	}

	private static Duration positive(Setting<Duration> setting) {
		if (setting.value().isZero() || setting.value().isNegative()) {
			throw new InvalidConfigurationPropertyValueException(setting.property(), setting.value(),
					"It must be a positive duration, such as 5s");
		}
		return setting.value();
	}

	private record Setting<T>(String property, T value) {
	}

}
