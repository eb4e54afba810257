package io.github.cancellablesoap.autoconfigure.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.HostDefaultsProperties;
import io.github.cancellablesoap.autoconfigure.HostProperties;
import io.github.cancellablesoap.autoconfigure.PropertyChecks;
import io.github.cancellablesoap.server.ServiceHostSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

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
		HostProperties host = this.properties.getHosts().get(name);
		if (host == null) {
			throw new IllegalArgumentException("No host named '" + name + "' is configured");
		}
		PropertyChecks.name(HOSTS, "service host", name);
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
		PropertyChecks.path(prefix + "path", name, path);
		if (this.webServicesPath != null && path.equals(this.webServicesPath)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", path,
					"Spring Boot's MessageDispatcherServlet already serves " + path
							+ " (spring.webservices.path); give the host another path");
		}
		Values values = new Values(name, host,
				ServiceHostSettings.of(name, path).withServesUnboundEndpoints(servesUnboundEndpoints));
		values.apply("close-timeout", HostDefaultsProperties::getCloseTimeout, PropertyChecks::positive,
				ServiceHostSettings::withCloseTimeout);
		values.apply("abort-grace", HostDefaultsProperties::getAbortGrace, PropertyChecks::positive,
				ServiceHostSettings::withAbortGrace);
		values.apply("max-concurrent-operations", HostDefaultsProperties::getMaxConcurrentOperations,
				PropertyChecks::atLeastOne, ServiceHostSettings::withMaxConcurrentOperations);
		values.apply("max-request-size", HostDefaultsProperties::getMaxRequestSize,
				(property, size) -> PropertyChecks.bytes(property, size, ServiceHostSettings.MAX_REQUEST_BYTES_LIMIT,
						ServiceHostSettings.MAX_REQUEST_BYTES_LIMIT + "B"),
				ServiceHostSettings::withMaxRequestBytes);
		values.apply("max-receiving-requests", HostDefaultsProperties::getMaxReceivingRequests,
				PropertyChecks::atLeastOne, ServiceHostSettings::withMaxReceivingRequests);
		values.apply("request-body-timeout", HostDefaultsProperties::getRequestBodyTimeout, PropertyChecks::positive,
				ServiceHostSettings::withRequestBodyTimeout);
		values.apply("max-call-timeout", HostDefaultsProperties::getMaxCallTimeout, PropertyChecks::positive,
				ServiceHostSettings::withMaxCallTimeout);
		values.apply("max-xml-depth", HostDefaultsProperties::getMaxXmlDepth, PropertyChecks::atLeastOne,
				ServiceHostSettings::withMaxXmlDepth);
		values.apply("rejection-status", HostDefaultsProperties::getRejectionStatus,
				HostSettingsFactory::rejectionStatus,
				(settings, status) -> settings.withWire(settings.wire().withRejectionStatus(status)));
		values.apply("retry-after", HostDefaultsProperties::getRetryAfter, HostSettingsFactory::retryAfter,
				(settings, time) -> settings.withWire(settings.wire().withRetryAfter(time)));
		String wsdl = host.getWsdlDefinition();
		if (wsdl != null) {
			if (wsdl.isBlank()) {
				throw new InvalidConfigurationPropertyValueException(prefix + "wsdl-definition", wsdl,
						"Name a Wsdl11Definition bean, or remove the property to publish the only one");
			}
			values.settings = values.settings.withWire(values.settings.wire().withWsdlDefinition(wsdl.strip()));
		}
		return values.settings;
	}

	private static Integer rejectionStatus(String property, Integer status) {
		if (status != 503 && status != 500) {
			throw new InvalidConfigurationPropertyValueException(property, status,
					"The rejection status must be 503 (with Retry-After, the default) or 500 (WS-I Basic Profile)");
		}
		return status;
	}

	private static Duration retryAfter(String property, Duration time) {
		PropertyChecks.positive(property, time);
		if (time.compareTo(Duration.ofDays(1)) > 0) {
			throw new InvalidConfigurationPropertyValueException(property, time,
					"Retry-After must be at most a day (1d)");
		}
		return time;
	}

	/**
	 * Applies a host's values, each its own or else the one from {@code host-defaults},
	 * checked under the name of the property it came from.
	 */
	private final class Values {

		private final String name;

		private final HostProperties host;

		private ServiceHostSettings settings;

		Values(String name, HostProperties host, ServiceHostSettings settings) {
			this.name = name;
			this.host = host;
			this.settings = settings;
		}

		<T, V> void apply(String property, Function<HostDefaultsProperties, @Nullable T> getter,
				BiFunction<String, T, V> check, BiFunction<ServiceHostSettings, V, ServiceHostSettings> with) {
			T own = getter.apply(this.host);
			if (own != null) {
				this.settings = with.apply(this.settings, check.apply(HOSTS + "." + this.name + "." + property, own));
				return;
			}
			T shared = getter.apply(HostSettingsFactory.this.properties.getHostDefaults());
			if (shared != null) {
				this.settings = with.apply(this.settings, check.apply(DEFAULTS + "." + property, shared));
			}
		}

	}

}
