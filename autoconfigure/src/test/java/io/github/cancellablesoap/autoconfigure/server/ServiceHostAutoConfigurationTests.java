package io.github.cancellablesoap.autoconfigure.server;

import io.github.cancellablesoap.autoconfigure.AutoConfigurationRunners;
import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import java.time.Duration;

import io.github.cancellablesoap.autoconfigure.actuate.CancellableSoapHealthAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.observation.CancellableSoapMetricsAutoConfiguration;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.HostedBy;
import io.github.cancellablesoap.server.OperationContextWsConfigurer;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHostServlet;
import io.github.cancellablesoap.server.ServiceHostSettings;
import io.github.cancellablesoap.server.ServiceHosts;
import io.github.cancellablesoap.server.ServiceHostsLifecycle;
import io.github.cancellablesoap.server.UnhostedMessageDispatcher;
import io.github.cancellablesoap.server.detect.AvailableProbeDetector;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.ws.soap.server.SoapMessageDispatcher;
import org.springframework.ws.transport.http.MessageDispatcherServlet;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions and beans of {@link ServiceHostAutoConfiguration}; the hosts' health and
 * metrics are tested with their auto-configurations.
 */
class ServiceHostAutoConfigurationTests {

	private final WebApplicationContextRunner runner = AutoConfigurationRunners
		.hosts(CancellableSoapHealthAutoConfiguration.class, CancellableSoapMetricsAutoConfiguration.class);

	@Test
	void registersAHostAndItsServletPerConfiguredHostWithDefaultsApplied() {
		this.runner.withPropertyValues("cancellable-soap.host-defaults.close-timeout=2s",
				"cancellable-soap.host-defaults.max-concurrent-operations=20",
				"cancellable-soap.hosts.orders.path=/soap/orders",
				"cancellable-soap.hosts.orders.max-concurrent-operations=10",
				"cancellable-soap.hosts.billing.path=/soap/billing", "cancellable-soap.hosts.billing.abort-grace=1s")
			.withUserConfiguration(HostUser.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ServiceHostSettings orders = context.getBean("ordersServiceHost", DefaultServiceHost.class).settings();
				assertThat(orders).isEqualTo(ServiceHostSettings.of("orders", "/soap/orders")
					.withCloseTimeout(Duration.ofSeconds(2))
					.withMaxConcurrentOperations(10));
				ServiceHostSettings billing = context.getBean("billingServiceHost", DefaultServiceHost.class)
					.settings();
				assertThat(billing).isEqualTo(ServiceHostSettings.of("billing", "/soap/billing")
					.withCloseTimeout(Duration.ofSeconds(2))
					.withAbortGrace(Duration.ofSeconds(1))
					.withMaxConcurrentOperations(20));
				assertThat(context.getBean(HostUser.class).host.name()).as("@Qualifier(\"billing\") injection")
					.isEqualTo("billing");
				ServletRegistrationBean<?> registration = context.getBean("ordersServiceHostRegistration",
						ServletRegistrationBean.class);
				assertThat(registration.getServlet()).isInstanceOf(ServiceHostServlet.class);
				assertThat(registration.getServletName()).isEqualTo("serviceHost-orders");
				assertThat(registration.getUrlMappings()).containsExactly("/soap/orders", "/soap/orders/*");
				assertThat(registration.isAsyncSupported()).isTrue();
				assertThat(context.getBean(ServiceHosts.class).all()).extracting(ServiceHost::name)
					.containsExactly("orders", "billing");
				assertThat(context).hasSingleBean(ServiceHostsLifecycle.class)
					.hasSingleBean(OperationContextWsConfigurer.class)
					.hasSingleBean(CancellationTimer.class);
				assertThat(context.getBean(CallerGoneDetector.class)).isInstanceOf(
						ProcNetTcpDetector.isSupported() ? ProcNetTcpDetector.class : AvailableProbeDetector.class);
				assertThat(orders.servesUnboundEndpoints()).isFalse();
			});
	}

	@Test
	void aSingleHostServesEndpointsWithoutHostedBy() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap").run((context) -> {
			DefaultServiceHost host = context.getBean("mainServiceHost", DefaultServiceHost.class);
			assertThat(host.settings().servesUnboundEndpoints()).isTrue();
			assertThat(host.settings().closeTimeout()).isEqualTo(ServiceHostSettings.DEFAULT_CLOSE_TIMEOUT);
		});
	}

	@Test
	void givesBootsMessageDispatcherServletAReceiverThatPassesOverHostedEndpoints() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap").run((context) -> {
			UnhostedMessageDispatcher receiver = context
				.getBean(MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME, UnhostedMessageDispatcher.class);
			assertThat(receiver.isHosted(new UnboundEndpoint())).as("the single host serves every endpoint").isTrue();
		});
		this.runner.withPropertyValues("cancellable-soap.hosts.a.path=/soap/a", "cancellable-soap.hosts.b.path=/soap/b")
			.run((context) -> {
				UnhostedMessageDispatcher receiver = context.getBean(
						MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME, UnhostedMessageDispatcher.class);
				assertThat(receiver.isHosted(new UnboundEndpoint())).isFalse();
				assertThat(receiver.isHosted(new BoundEndpoint())).isTrue();
			});
	}

	@Test
	void leavesTheApplicationsOwnMessageReceiverInPlace() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withUserConfiguration(OwnReceiver.class)
			.run((context) -> assertThat(context.getBean(MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME))
				.isSameAs(OwnReceiver.RECEIVER));
	}

	@Test
	void backsOffWhenTheMasterSwitchIsOff() {
		this.runner.withPropertyValues("cancellable-soap.enabled=false", "cancellable-soap.hosts.main.path=/soap")
			.run(this::hasNoHostBeans);
	}

	@Test
	void backsOffWhenNoHostIsConfigured() {
		this.runner.run((context) -> {
			hasNoHostBeans(context);
			assertThat(context).hasSingleBean(CancellationTimer.class);
		});
	}

	@Test
	void backsOffWhenTheServletApiIsMissing() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withClassLoader(new FilteredClassLoader(HttpServlet.class))
			.run(this::hasNoHostBeans);
	}

	@Test
	void backsOffWhenSpringWsIsMissing() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withClassLoader(new FilteredClassLoader("org.springframework.ws"))
			.run(this::hasNoHostBeans);
	}

	@Test
	void backsOffOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class,
							ServiceHostAutoConfiguration.class, CancellableSoapHealthAutoConfiguration.class))
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ServiceHost.class)
				.doesNotHaveBean(ServiceHosts.class));
	}

	@Test
	void declaresTheTimerItselfWhenProxiesAreNotAutoConfigured() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CancellableSoapAutoConfiguration.class,
					WebServicesAutoConfiguration.class, ServiceHostAutoConfiguration.class))
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.run((context) -> {
				assertThat(context).hasSingleBean(CancellationTimer.class);
				assertThat(context.getBean(ServiceHost.class).state()).isEqualTo(HostState.OPEN);
			});
	}

	@Test
	void usesTheApplicationsOwnBeans() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withUserConfiguration(OwnBeans.class)
			.run((context) -> {
				assertThat(context.getBean(CallerGoneDetector.class)).isSameAs(OwnBeans.DETECTOR);
				assertThat(context).hasSingleBean(CancellationTimer.class);
				assertThat(context.getBean(CancellationTimer.class)).isSameAs(context.getBean(OwnBeans.class).timer);
				assertThat(context.getBean(DefaultServiceHost.class).state()).isEqualTo(HostState.OPEN);
			});
	}

	@Test
	void usesTheKernelsConnectionTablesWhenTomcatIsMissing() {
		this.runner.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withClassLoader(new FilteredClassLoader("org.apache.catalina"))
			.run((context) -> assertThat(context.getBean(CallerGoneDetector.class)).isInstanceOf(
					ProcNetTcpDetector.isSupported() ? ProcNetTcpDetector.class : CallerGoneDetector.NONE.getClass()));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					two hosts share a path | cancellable-soap.hosts.a.path=/soap;cancellable-soap.hosts.b.path=/soap \
					| cancellable-soap.hosts.b.path | Host 'a' already serves /soap
					a host has no path | cancellable-soap.hosts.main.close-timeout=1s \
					| cancellable-soap.hosts.main.path | needs the servlet path
					a path does not start with a slash | cancellable-soap.hosts.main.path=soap \
					| cancellable-soap.hosts.main.path | must start with '/'
					a path has a wildcard | cancellable-soap.hosts.main.path=/soap/* \
					| cancellable-soap.hosts.main.path | no wildcards
					a path has a trailing slash | cancellable-soap.hosts.main.path=/soap/ \
					| cancellable-soap.hosts.main.path | no trailing slash
					a host takes the MessageDispatcherServlet's path | cancellable-soap.hosts.main.path=/services \
					| cancellable-soap.hosts.main.path | spring.webservices.path
					a timeout is zero | cancellable-soap.hosts.main.path=/soap;cancellable-soap.hosts.main.close-timeout=0s \
					| cancellable-soap.hosts.main.close-timeout | positive duration
					a default timeout is negative | cancellable-soap.hosts.main.path=/soap;cancellable-soap.host-defaults.abort-grace=-1s \
					| cancellable-soap.host-defaults.abort-grace | positive duration
					the concurrency limit is below one | cancellable-soap.hosts.main.path=/soap;cancellable-soap.hosts.main.max-concurrent-operations=0 \
					| cancellable-soap.hosts.main.max-concurrent-operations | at least 1
					a host name does not start with a letter or digit | cancellable-soap.hosts[-orders].path=/soap \
					| cancellable-soap.hosts | "A service host name must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, not '-orders'"
					a host name is longer than a proxy name may be | cancellable-soap.hosts.hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh.path=/soap \
					| cancellable-soap.hosts | 1 to 63 letters
					""")
	void aBadHostPropertyFailsTheStartNamingThePropertyAndWhatToFix(String problem, String properties, String property,
			String message) {
		this.runner.withPropertyValues(properties.split(";")).run(failsOn(property, message));
	}

	@Test
	void acceptsAHostNameWithADotAsProxyNamesDo() {
		this.runner.withPropertyValues("cancellable-soap.hosts[or.ders].path=/soap")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("or.dersServiceHost"));
	}

	private void hasNoHostBeans(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed()
			.doesNotHaveBean(ServiceHost.class)
			.doesNotHaveBean(ServiceHosts.class)
			.doesNotHaveBean(ServiceHostsLifecycle.class)
			.doesNotHaveBean(CallerGoneDetector.class)
			.doesNotHaveBean(OperationContextWsConfigurer.class)
			.doesNotHaveBean(MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME)
			.doesNotHaveBean("soapHostsHealthContributor");
	}

	@Configuration(proxyBeanMethods = false)
	static class HostUser {

		final ServiceHost host;

		HostUser(@Qualifier("billing") ServiceHost host) {
			this.host = host;
		}

	}

	static class UnboundEndpoint {

	}

	@HostedBy("a")
	static class BoundEndpoint {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnReceiver {

		static final SoapMessageDispatcher RECEIVER = new SoapMessageDispatcher();

		@Bean(MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME)
		SoapMessageDispatcher messageReceiver() {
			return RECEIVER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		static final CallerGoneDetector DETECTOR = (request, onGone) -> () -> {
		};

		final CancellationTimer timer = new CancellationTimer("own");

		@Bean
		CallerGoneDetector ownDetector() {
			return DETECTOR;
		}

		@Bean(destroyMethod = "shutdown")
		CancellationTimer ownTimer() {
			return this.timer;
		}

	}

}
