package io.github.cancellablesoap.autoconfigure.server;

import java.time.Duration;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.ServiceHostSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host properties that bound what a peer sends: defaults, host values over
 * {@code host-defaults}, and failures that name the property.
 */
class HostLimitsPropertiesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CancellableSoapAutoConfiguration.class,
				WebServicesAutoConfiguration.class, ServiceHostAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.hosts.orders.path=/soap/orders");

	@Test
	void unsetLimitsTakeTheDefaults() {
		this.runner.run((context) -> {
			ServiceHostSettings settings = settings(context);
			assertThat(settings.maxRequestBytes()).isEqualTo(10L * 1024 * 1024);
			assertThat(settings.maxReceivingRequests()).isEqualTo(500);
			assertThat(settings.requestBodyTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.maxCallTimeout()).isEqualTo(Duration.ofHours(1));
			assertThat(settings.maxXmlDepth()).isEqualTo(256);
		});
	}

	@Test
	void aHostsOwnLimitsWinOverTheSharedOnes() {
		this.runner
			.withPropertyValues("cancellable-soap.host-defaults.max-request-size=2MB",
					"cancellable-soap.host-defaults.max-xml-depth=64",
					"cancellable-soap.hosts.orders.max-request-size=512KB",
					"cancellable-soap.hosts.orders.max-receiving-requests=40",
					"cancellable-soap.hosts.orders.request-body-timeout=5s",
					"cancellable-soap.hosts.orders.max-call-timeout=10m")
			.run((context) -> {
				ServiceHostSettings settings = settings(context);
				assertThat(settings.maxRequestBytes()).isEqualTo(512L * 1024);
				assertThat(settings.maxXmlDepth()).isEqualTo(64);
				assertThat(settings.maxReceivingRequests()).isEqualTo(40);
				assertThat(settings.requestBodyTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.maxCallTimeout()).isEqualTo(Duration.ofMinutes(10));
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cancellable-soap.hosts.orders.max-request-size=0B | cancellable-soap.hosts.orders.max-request-size \
			| between 1B and
			cancellable-soap.host-defaults.max-request-size=4GB | cancellable-soap.host-defaults.max-request-size \
			| between 1B and
			cancellable-soap.hosts.orders.max-receiving-requests=0 \
			| cancellable-soap.hosts.orders.max-receiving-requests | at least 1
			cancellable-soap.hosts.orders.request-body-timeout=0s \
			| cancellable-soap.hosts.orders.request-body-timeout | positive duration
			cancellable-soap.hosts.orders.max-call-timeout=-1s | cancellable-soap.hosts.orders.max-call-timeout \
			| positive duration
			cancellable-soap.hosts.orders.max-xml-depth=0 | cancellable-soap.hosts.orders.max-xml-depth | at least 1
			""")
	void badLimitsFailNamingTheProperty(String setting, String property, String message) {
		this.runner.withPropertyValues(setting).run(failsOn(property, message));
	}

	private static ServiceHostSettings settings(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean("ordersServiceHost", DefaultServiceHost.class).settings();
	}

}
