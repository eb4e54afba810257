package io.github.cancellablesoap.autoconfigure.observation;

import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.observation.AbortsMeter;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.MeterOperationListener;
import io.github.cancellablesoap.observation.ObservationCallListener;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.github.cancellablesoap.observation.ServiceHostMeterBinder;
import io.github.cancellablesoap.observation.ServiceProxyMeterBinder;
import io.github.cancellablesoap.observation.SoapClientObservationConvention;
import io.github.cancellablesoap.observation.SoapServerObservationConvention;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.ServiceHosts;
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
 * Auto-configuration of the meters and observations of service proxies and hosts, when
 * Micrometer is present, in a client and a server part each for meters and observations.
 * <p>
 * With a {@code MeterRegistry}: the one {@link AbortsMeter} ({@code soap.aborts}); for
 * proxies the {@code soap.client.calls} timer ({@link MeterCallListener}) and the
 * {@code soap.client.calls.active} and {@code soap.client.calls.abandoned.active} gauges;
 * for hosts the {@code soap.server.operations} timer ({@link MeterOperationListener}) and
 * the {@code soap.server.operations.active} gauge. With an {@code ObservationRegistry}:
 * the {@code soap.client.call} and {@code soap.server.operation} observations; with
 * Micrometer Tracing, their tracing handlers make each call a span whose trace id shows
 * in the call's {@code CallInfo} and whose context is propagated on the call's request,
 * and each operation a span that continues its caller's trace and is current while the
 * endpoint runs, so that the calls it makes downstream are its children. The registrars
 * hand every {@link CallListener} and {@link OperationListener} bean to each proxy and
 * host they create.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = { ServiceProxyAutoConfiguration.class, ServiceHostAutoConfiguration.class },
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnCancellableSoapEnabled
public final class CancellableSoapMetricsAutoConfiguration {

	/**
	 * Meters, when a meter registry is there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class Meters {

		@Bean
		@ConditionalOnMissingBean
		AbortsMeter soapAbortsMeter(MeterRegistry registry) {
			return new AbortsMeter(registry);
		}

		/**
		 * The meters of proxies.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(ServiceProxies.class)
		static class Client {

			@Bean
			@ConditionalOnMissingBean
			MeterCallListener soapMeterCallListener(MeterRegistry registry, AbortsMeter aborts) {
				return new MeterCallListener(registry, aborts);
			}

			@Bean
			@ConditionalOnMissingBean
			ServiceProxyMeterBinder serviceProxyMeterBinder(ServiceProxies proxies) {
				return new ServiceProxyMeterBinder(proxies);
			}

		}

		/**
		 * The meters of hosts.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(ServiceHosts.class)
		static class Server {

			@Bean
			@ConditionalOnMissingBean
			MeterOperationListener soapMeterOperationListener(MeterRegistry registry, AbortsMeter aborts) {
				return new MeterOperationListener(registry, aborts);
			}

			@Bean
			@ConditionalOnMissingBean
			ServiceHostMeterBinder serviceHostMeterBinder(ServiceHosts hosts) {
				return new ServiceHostMeterBinder(hosts);
			}

		}

	}

	/**
	 * Observations, when an observation registry is there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class Observations {

		/**
		 * The observations of proxies' calls.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(ServiceProxies.class)
		static class Client {

			/**
			 * The listener that observes calls. An application's
			 * {@link SoapClientObservationConvention} bean replaces the default
			 * convention; without one, a {@code GlobalObservationConvention} registered
			 * on the registry still applies, which a default-convention bean would hide.
			 */
			@Bean
			@ConditionalOnMissingBean
			ObservationCallListener soapObservationCallListener(ObservationRegistry registry,
					ObjectProvider<SoapClientObservationConvention> convention) {
				return new ObservationCallListener(registry, convention.getIfAvailable());
			}

		}

		/**
		 * The observations of hosts' operations.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(ServiceHosts.class)
		static class Server {

			/**
			 * The listener that observes operations. An application's
			 * {@link SoapServerObservationConvention} bean replaces the default
			 * convention; without one, a {@code GlobalObservationConvention} registered
			 * on the registry still applies.
			 */
			@Bean
			@ConditionalOnMissingBean
			ObservationOperationListener soapObservationOperationListener(ObservationRegistry registry,
					ObjectProvider<SoapServerObservationConvention> convention) {
				return new ObservationOperationListener(registry, convention.getIfAvailable());
			}

		}

	}

}
