package io.github.cancellablesoap.autoconfigure.client;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyLifecycle;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Auto-configuration of service proxies: one bean per
 * {@code cancellable-soap.proxies.<name>}, the {@link ServiceProxies} look-up, and the
 * lifecycle that opens proxies on start and closes them gracefully on shutdown. The
 * shared {@code CancellationTimer} comes from {@link CancellableSoapAutoConfiguration}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = CancellableSoapAutoConfiguration.class,
		afterName = "org.springframework.boot.webservices.autoconfigure.client.WebServiceTemplateAutoConfiguration")
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass({ WebServiceTemplate.class, CloseableHttpAsyncClient.class })
@EnableConfigurationProperties(CancellableSoapProperties.class)
@Import(ServiceProxyRegistrar.class)
public final class ServiceProxyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceProxies serviceProxies(ObjectProvider<ServiceProxy> proxies) {
		return new ServiceProxies(proxies.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceProxyLifecycle serviceProxyLifecycle(ServiceProxies proxies) {
		return new ServiceProxyLifecycle(proxies);
	}

}
