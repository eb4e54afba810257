package io.github.cancellablesoap.autoconfigure;

import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration;

/**
 * The context runners of the auto-configuration tests: proxies {@code quotes} and
 * {@code orders} on unreachable addresses, or a servlet web application with Spring WS
 * where hosts can be configured; each with the auto-configurations under test added.
 */
public final class AutoConfigurationRunners {

	private AutoConfigurationRunners() {
	}

	/**
	 * A runner with two configured proxies.
	 * @param underTest the auto-configurations under test
	 * @return the runner
	 */
	public static ApplicationContextRunner proxies(Class<?>... underTest) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(underTest))
			.withPropertyValues("cancellable-soap.proxies.quotes.address=http://127.0.0.1:1/ws",
					"cancellable-soap.proxies.orders.address=http://127.0.0.1:2/orders");
	}

	/**
	 * A servlet web application runner where hosts can be configured.
	 * @param underTest the auto-configurations under test
	 * @return the runner
	 */
	public static WebApplicationContextRunner hosts(Class<?>... underTest) {
		return new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CancellableSoapAutoConfiguration.class, WebServicesAutoConfiguration.class,
							ServiceProxyAutoConfiguration.class, ServiceHostAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(underTest));
	}

	/**
	 * Both runners, for an auto-configuration with a client part and a server part.
	 * @param underTest the auto-configurations under test
	 * @return the runners
	 */
	public static Sides sides(Class<?>... underTest) {
		return new Sides(proxies(underTest), hosts(underTest));
	}

	/**
	 * The runners of the two sides of one auto-configuration.
	 *
	 * @param proxies the runner with two configured proxies
	 * @param hosts the web application runner where hosts can be configured
	 */
	public record Sides(ApplicationContextRunner proxies, WebApplicationContextRunner hosts) {

	}

}
