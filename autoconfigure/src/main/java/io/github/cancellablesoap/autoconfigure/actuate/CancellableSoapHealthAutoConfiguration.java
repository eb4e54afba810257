package io.github.cancellablesoap.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.cancellablesoap.actuate.health.ServiceHostHealthIndicator;
import io.github.cancellablesoap.actuate.health.ServiceProxyHealthIndicator;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.core.LifecycleVerbs;
import io.github.cancellablesoap.server.ServiceHosts;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the health of service proxies and hosts: one indicator per proxy,
 * grouped under {@code soapProxies} (off with
 * {@code management.health.soap-proxies.enabled=false}), and one per host, grouped under
 * {@code soapHosts} (off with {@code management.health.soap-hosts.enabled=false}).
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = { ServiceProxyAutoConfiguration.class, ServiceHostAutoConfiguration.class })
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(HealthContributor.class)
public final class CancellableSoapHealthAutoConfiguration {

	private static <T extends LifecycleVerbs<?>> CompositeHealthContributor byName(List<T> targets,
			Function<T, HealthIndicator> indicator) {
		Map<String, T> byName = new LinkedHashMap<>();
		targets.forEach((target) -> byName.put(target.name(), target));
		return CompositeHealthContributor.fromMap(byName, indicator);
	}

	/**
	 * The health of proxies.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ServiceProxies.class)
	@ConditionalOnEnabledHealthIndicator("soap-proxies")
	static class Proxies {

		@Bean
		@ConditionalOnMissingBean(name = "soapProxiesHealthContributor")
		CompositeHealthContributor soapProxiesHealthContributor(ServiceProxies proxies) {
			return byName(proxies.all(), ServiceProxyHealthIndicator::new);
		}

	}

	/**
	 * The health of hosts.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ServiceHosts.class)
	@ConditionalOnEnabledHealthIndicator("soap-hosts")
	static class Hosts {

		@Bean
		@ConditionalOnMissingBean(name = "soapHostsHealthContributor")
		CompositeHealthContributor soapHostsHealthContributor(ServiceHosts hosts) {
			return byName(hosts.all(), ServiceHostHealthIndicator::new);
		}

	}

}
