package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The defaults that Spring Boot's {@code spring.http.clients.*} properties give every
 * HTTP client of an application, as far as they apply to service proxies: the connect
 * timeout and the SSL bundle. A proxy's own setting, then
 * {@code cancellable-soap.proxy-defaults}, win over them. Read with the binder, so they
 * apply whether or not Boot's HTTP client auto-configuration is on the class path.
 * <p>
 * Immutable and thread-safe.
 *
 * @param connectTimeout {@code spring.http.clients.connect-timeout}, or {@code null}
 * @param sslBundle {@code spring.http.clients.ssl.bundle}, or {@code null}
 * @author Cancellable SOAP
 */
record BootHttpClientDefaults(@Nullable Duration connectTimeout, @Nullable String sslBundle) {

	/** The prefix of Boot's properties. */
	static final String PREFIX = "spring.http.clients";

	/** No defaults from Boot. */
	static final BootHttpClientDefaults NONE = new BootHttpClientDefaults(null, null);

	/**
	 * Read the defaults from the environment.
	 * @param binder the binder of the environment
	 * @return the defaults
	 */
	static BootHttpClientDefaults from(Binder binder) {
		Duration connectTimeout = binder.bind(PREFIX + ".connect-timeout", Bindable.of(Duration.class)).orElse(null);
		String bundle = binder.bind(PREFIX + ".ssl.bundle", Bindable.of(String.class)).orElse(null);
		return new BootHttpClientDefaults(connectTimeout, (bundle != null && !bundle.isBlank()) ? bundle : null);
	}

}
