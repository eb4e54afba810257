package io.github.cancellablesoap.autoconfigure.observation;

import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.ObservationCallListener;
import io.github.cancellablesoap.observation.ServiceProxyMeterBinder;
import io.github.cancellablesoap.observation.SoapClientObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the meters and observations of service proxy calls, when
 * Micrometer is present. With Micrometer Tracing, the observations' tracing handlers make
 * each call a span whose trace id shows in the call's {@code CallInfo} and whose context
 * is propagated on the call's request.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = ServiceProxyAutoConfiguration.class,
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnCancellableSoapEnabled
@ConditionalOnBean(ServiceProxies.class)
public final class ServiceProxyMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class Meters {

		@Bean
		@ConditionalOnMissingBean
		MeterCallListener soapMeterCallListener(MeterRegistry registry) {
			return new MeterCallListener(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		ServiceProxyMeterBinder serviceProxyMeterBinder(ServiceProxies proxies) {
			return new ServiceProxyMeterBinder(proxies);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class Observations {

		/**
		 * The listener that observes calls. An application's
		 * {@link SoapClientObservationConvention} bean replaces the default convention;
		 * without one, a {@code GlobalObservationConvention} registered on the registry
		 * still applies, which a default-convention bean would hide.
		 */
		@Bean
		@ConditionalOnMissingBean
		ObservationCallListener soapObservationCallListener(ObservationRegistry registry,
				ObjectProvider<SoapClientObservationConvention> convention) {
			return new ObservationCallListener(registry, convention.getIfAvailable());
		}

	}

}
