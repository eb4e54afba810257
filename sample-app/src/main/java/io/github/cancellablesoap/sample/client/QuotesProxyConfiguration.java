package io.github.cancellablesoap.sample.client;

import java.net.URI;

import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webservices.client.WebServiceTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Wires the {@code quotes} service proxy by hand, the way an application without the
 * starter's auto-configuration would.
 * <p>
 * By default the proxy calls this application's own quotes service over the loopback
 * interface, so its address depends on the port the web server actually got: the proxy
 * bean is therefore lazy, created when {@link QuotesProxyLifecycle} opens it after the
 * server has started. Beans that use it inject it with {@code @Lazy}.
 *
 * @author Cancellable SOAP
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QuotesProxyProperties.class)
public class QuotesProxyConfiguration {

	/** The name of the proxy, and the qualifier of its bean. */
	public static final String PROXY_NAME = "quotes";

	@Bean(destroyMethod = "shutdown")
	CancellationTimer quotesCancellationTimer() {
		return new CancellationTimer(PROXY_NAME);
	}

	// The bean name "quotes" belongs to the WSDL definition (it names /ws/quotes.wsdl),
	// so
	// the proxy bean is "quotesProxy", qualified with the proxy's name.
	@Bean
	@Qualifier(PROXY_NAME)
	@Lazy
	ServiceProxy quotesProxy(QuotesProxyProperties properties, Environment environment,
			ObjectProvider<WebServiceTemplateBuilder> templateBuilder, CancellationTimer quotesCancellationTimer) {
		URI address = (properties.getAddress() != null) ? properties.getAddress() : loopbackAddress(environment);
		WebServiceTemplateBuilder builder = templateBuilder.getIfAvailable();
		// The proxy replaces the template's message senders with its own transport.
		WebServiceTemplate template = (builder != null) ? builder.detectHttpMessageSender(false).build()
				: new WebServiceTemplate();
		return ServiceProxyFactory.create(properties.toSettings(PROXY_NAME, address), template,
				quotesCancellationTimer);
	}

	@Bean
	QuotesProxyLifecycle quotesProxyLifecycle(@Qualifier(PROXY_NAME) ObjectProvider<ServiceProxy> quotes) {
		return new QuotesProxyLifecycle(quotes);
	}

	@Bean(destroyMethod = "close")
	QuotesClient quotesClient(@Qualifier(PROXY_NAME) @Lazy ServiceProxy quotes, QuotesProxyProperties properties) {
		return new QuotesClient(quotes, properties.getMaxPendingCalls());
	}

	private static URI loopbackAddress(Environment environment) {
		String port = environment.getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException(
					"The quotes proxy needs sample.quotes.address, or a running web server to call its own service");
		}
		String path = environment.getProperty("spring.webservices.path", "/services");
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
