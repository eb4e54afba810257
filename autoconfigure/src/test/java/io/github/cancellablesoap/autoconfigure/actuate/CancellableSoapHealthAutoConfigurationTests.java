package io.github.cancellablesoap.autoconfigure.actuate;

import io.github.cancellablesoap.actuate.health.ServiceHostHealthIndicator;
import io.github.cancellablesoap.autoconfigure.AutoConfigurationRunners;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health contributors of {@link CancellableSoapHealthAutoConfiguration}: one per
 * proxy under {@code soapProxies} and one per host under {@code soapHosts}, each part
 * switched off on its own.
 */
class CancellableSoapHealthAutoConfigurationTests {

	private final AutoConfigurationRunners.Sides runners = AutoConfigurationRunners
		.sides(CancellableSoapHealthAutoConfiguration.class);

	@Test
	void eachProxyHasAHealthIndicatorThatReportsAFaultAsOutOfService() {
		this.runners.proxies().run((context) -> {
			CompositeHealthContributor health = context.getBean("soapProxiesHealthContributor",
					CompositeHealthContributor.class);
			HealthIndicator quotes = (HealthIndicator) health.getContributor("quotes");
			assertThat(quotes.health().getStatus()).isEqualTo(Status.UP);
			context.getBean(ServiceProxies.class).find("quotes").orElseThrow().abort("test");
			assertThat(quotes.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(quotes.health().getDetails()).containsEntry("state", "FAULTED");
		});
	}

	@Test
	void noHealthIndicatorsWithoutTheActuator() {
		this.runners.proxies()
			.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("soapProxiesHealthContributor"));
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ServiceHosts.class)
				.doesNotHaveBean("soapHostsHealthContributor"));
	}

	@Test
	void theHealthIndicatorsCanBeSwitchedOff() {
		this.runners.proxies()
			.withPropertyValues("management.health.soap-proxies.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("soapProxiesHealthContributor"));
	}

	@Test
	void hostsAreOpenedWithTheContextAndReportHealthPerHost() {
		this.runners.hosts().withPropertyValues("cancellable-soap.hosts.main.path=/soap").run((context) -> {
			ServiceHost host = context.getBean(ServiceHost.class);
			assertThat(host.state()).isEqualTo(HostState.OPEN);
			CompositeHealthContributor hosts = context.getBean("soapHostsHealthContributor",
					CompositeHealthContributor.class);
			ServiceHostHealthIndicator indicator = (ServiceHostHealthIndicator) hosts.getContributor("main");
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("listenerState", "OPEN")
				.containsEntry("path", "/soap");
			host.abortListener("test");
			assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			host.abort("test");
			assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(indicator.health().getDetails()).containsEntry("state", "FAULTED")
				.containsEntry("listenerState", "FAULTED");
		});
	}

	@Test
	void hostHealthCanBeSwitchedOff() {
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap", "management.health.soap-hosts.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(ServiceHosts.class)
				.doesNotHaveBean("soapHostsHealthContributor"));
	}

}
