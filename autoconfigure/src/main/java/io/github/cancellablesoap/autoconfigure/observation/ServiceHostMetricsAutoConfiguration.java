package io.github.cancellablesoap.autoconfigure.observation;

import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.observation.ServiceHostMeterBinder;
import io.github.cancellablesoap.server.ServiceHosts;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the meters of service hosts, when Micrometer is present: the
 * {@code soap.server.operations.active} gauge per host.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = ServiceHostAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ ServiceHosts.class, MeterRegistry.class })
public final class ServiceHostMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceHostMeterBinder serviceHostMeterBinder(ServiceHosts hosts) {
		return new ServiceHostMeterBinder(hosts);
	}

}
