package io.github.cancellablesoap.autoconfigure.server;

import java.time.Duration;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.HostWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.ws.wsdl.wsdl11.SimpleWsdl11Definition;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host properties that say how a host answers beyond SOAP: the rejection status and
 * its Retry-After (defaults, a host's values over {@code host-defaults}, failures that
 * name the property) and which WSDL definition it publishes.
 */
class HostWirePropertiesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CancellableSoapAutoConfiguration.class,
				WebServicesAutoConfiguration.class, ServiceHostAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.hosts.orders.path=/soap/orders");

	@Test
	void aHostRejectsWith503AndRetryAfterOneSecondByDefault() {
		this.runner.run((context) -> {
			HostWire wire = wire(context);
			assertThat(wire.rejectionStatus()).isEqualTo(503);
			assertThat(wire.retryAfter()).isEqualTo(Duration.ofSeconds(1));
			assertThat(wire.retryAfterSeconds()).isEqualTo(1);
			assertThat(wire.wsdlDefinition()).isNull();
		});
	}

	@Test
	void aHostsOwnRejectionSettingsWinOverTheSharedOnes() {
		this.runner.withPropertyValues("cancellable-soap.host-defaults.rejection-status=500",
				"cancellable-soap.host-defaults.retry-after=10s", "cancellable-soap.hosts.orders.retry-after=1500ms",
				"cancellable-soap.hosts.billing.path=/soap/billing",
				"cancellable-soap.hosts.billing.rejection-status=503")
			.run((context) -> {
				HostWire orders = wire(context);
				assertThat(orders.rejectionStatus()).isEqualTo(500);
				assertThat(orders.retryAfterSeconds()).isEqualTo(2);
				HostWire billing = context.getBean("billingServiceHost", DefaultServiceHost.class).settings().wire();
				assertThat(billing.rejectionStatus()).isEqualTo(503);
				assertThat(billing.retryAfter()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cancellable-soap.hosts.orders.rejection-status=404 | cancellable-soap.hosts.orders.rejection-status \
			| 503 (with Retry-After, the default) or 500
			cancellable-soap.host-defaults.rejection-status=502 | cancellable-soap.host-defaults.rejection-status \
			| 503 (with Retry-After, the default) or 500
			cancellable-soap.hosts.orders.retry-after=0s | cancellable-soap.hosts.orders.retry-after | positive duration
			cancellable-soap.hosts.orders.retry-after=2d | cancellable-soap.hosts.orders.retry-after | at most a day
			""")
	void badValuesFailNamingTheProperty(String setting, String property, String message) {
		this.runner.withPropertyValues(setting).run(failsOn(property, message));
	}

	@Test
	void aWsdlDefinitionThatIsNoBeanFailsTheStartUp() {
		this.runner.withPropertyValues("cancellable-soap.hosts.orders.wsdl-definition=orders")
			.run(failsOn("cancellable-soap.hosts.orders.wsdl-definition",
					"No Wsdl11Definition bean is named 'orders'"));
	}

	@Test
	void aWsdlDefinitionBeanCanBeNamed() {
		this.runner.withPropertyValues("cancellable-soap.hosts.orders.wsdl-definition=orders")
			.withBean("orders", SimpleWsdl11Definition.class,
					() -> new SimpleWsdl11Definition(new ByteArrayResource(new byte[0])))
			.run((context) -> assertThat(wire(context).wsdlDefinition()).isEqualTo("orders"));
	}

	private static HostWire wire(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean("ordersServiceHost", DefaultServiceHost.class).settings().wire();
	}

}
