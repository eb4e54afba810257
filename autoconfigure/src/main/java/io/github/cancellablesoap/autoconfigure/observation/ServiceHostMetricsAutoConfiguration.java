package io.github.cancellablesoap.autoconfigure.observation;

import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.observation.MeterOperationListener;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.github.cancellablesoap.observation.ServiceHostMeterBinder;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.ServiceHosts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the meters and observations of service hosts, when Micrometer is
 * present: the {@code soap.server.operations.active} gauge per host, and the
 * {@link OperationListener}s that record the {@code soap.server.operations} timer, the
 * hosts' share of the {@code soap.aborts} counter and the {@code soap.server.operation}
 * observation. The host registrar hands every {@link OperationListener} bean to each host
 * it creates.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = ServiceHostAutoConfiguration.class,
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnCancellableSoapEnabled
@ConditionalOnBean(ServiceHosts.class)
public final class ServiceHostMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class Meters {

		@Bean
		@ConditionalOnMissingBean
		ServiceHostMeterBinder serviceHostMeterBinder(ServiceHosts hosts) {
			return new ServiceHostMeterBinder(hosts);
		}

		@Bean
		@ConditionalOnMissingBean
		MeterOperationListener soapMeterOperationListener(MeterRegistry registry) {
			return new MeterOperationListener(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class Observations {

		@Bean
		@ConditionalOnMissingBean
		ObservationOperationListener soapObservationOperationListener(ObservationRegistry registry) {
			return new ObservationOperationListener(registry);
		}

	}

}
