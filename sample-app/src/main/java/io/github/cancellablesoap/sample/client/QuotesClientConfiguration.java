package io.github.cancellablesoap.sample.client;

import io.github.cancellablesoap.client.ServiceProxy;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the sample's client of the quotes service on the {@code quotes} service proxy,
 * which the starter creates from {@code cancellable-soap.proxies.quotes.*} in
 * {@code application.yml}, opens when the application starts and closes gracefully when
 * it stops.
 *
 * @author Cancellable SOAP
 */
@Configuration(proxyBeanMethods = false)
public class QuotesClientConfiguration {

	/** The name of the proxy, which is also the qualifier of its bean. */
	public static final String PROXY_NAME = "quotes";

	@Bean(destroyMethod = "close")
	QuotesClient quotesClient(@Qualifier(PROXY_NAME) ServiceProxy quotes,
			@Value("${cancellable-soap.proxies.quotes.max-pending-calls:100}") int maxPendingCalls) {
		return new QuotesClient(quotes, maxPendingCalls);
	}

}
