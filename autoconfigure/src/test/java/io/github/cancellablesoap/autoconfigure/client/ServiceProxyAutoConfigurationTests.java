package io.github.cancellablesoap.autoconfigure.client;

import io.github.cancellablesoap.autoconfigure.AutoConfigurationRunners;
import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import java.time.Duration;

import io.github.cancellablesoap.autoconfigure.actuate.CancellableSoapHealthAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.observation.CancellableSoapMetricsAutoConfiguration;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.client.ServiceProxyLifecycle;
import io.github.cancellablesoap.client.TimeoutAction;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.observation.MeterCallListener;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.ws.client.core.WebServiceTemplate;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per condition of the service proxy auto-configuration; the proxies' health and
 * metrics are tested with their auto-configurations.
 */
class ServiceProxyAutoConfigurationTests {

	private final ApplicationContextRunner runner = AutoConfigurationRunners
		.proxies(CancellableSoapMetricsAutoConfiguration.class, CancellableSoapHealthAutoConfiguration.class);

	@Test
	void eachConfiguredProxyIsABeanInjectableByItsNameAsQualifier() {
		this.runner.withUserConfiguration(QualifiedInjection.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(ServiceProxy.class)).containsOnlyKeys("quotesServiceProxy",
					"ordersServiceProxy");
			assertThat(context.getBean(QualifiedInjection.class).quotes.name()).isEqualTo("quotes");
			assertThat(context.getBean(ServiceProxies.class).all()).extracting(ServiceProxy::name)
				.containsExactly("quotes", "orders");
			assertThat(context.getBean(ServiceProxies.class).find("orders")).isPresent();
			assertThat(context).hasSingleBean(ServiceProxyLifecycle.class).hasSingleBean(CancellationTimer.class);
		});
	}

	@Test
	void proxiesAreOpenWhileTheContextRunsAndClosedWhenItStops() {
		this.runner.run((context) -> {
			ServiceProxy proxy = context.getBean(ServiceProxies.class).find("quotes").orElseThrow();
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
			context.close();
			assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
		});
	}

	@ParameterizedTest(name = "faulted by an operator first: {0}")
	@ValueSource(booleans = { false, true })
	void aStoppedContextClosesItsProxiesAndReopensThemWhenItStartsAgain(boolean faultedFirst) {
		this.runner.run((context) -> {
			ServiceProxy proxy = context.getBean(ServiceProxies.class).find("quotes").orElseThrow();
			ServiceProxyLifecycle lifecycle = context.getBean(ServiceProxyLifecycle.class);
			if (faultedFirst) {
				assertThat(proxy.abort("operator")).isTrue();
				assertThat(proxy.state()).isEqualTo(ProxyState.FAULTED);
			}
			lifecycle.stop();
			assertThat(proxy.state()).isEqualTo(ProxyState.CLOSED);
			assertThat(lifecycle.isRunning()).isFalse();
			lifecycle.start();
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
			assertThat(lifecycle.isRunning()).isTrue();
		});
	}

	@Test
	void proxyDefaultsApplyUnlessAProxySetsItsOwnValue() {
		this.runner
			.withPropertyValues("cancellable-soap.proxy-defaults.call-timeout=7s",
					"cancellable-soap.proxy-defaults.timeout-action=abandon",
					"cancellable-soap.proxies.orders.call-timeout=2s",
					"cancellable-soap.proxies.orders.max-pending-calls=3",
					"cancellable-soap.proxies.orders.max-response-size=1MB")
			.run((context) -> {
				DefaultServiceProxy quotes = (DefaultServiceProxy) context.getBean("quotesServiceProxy");
				DefaultServiceProxy orders = (DefaultServiceProxy) context.getBean("ordersServiceProxy");
				assertThat(quotes.settings().callTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(quotes.settings().timeoutAction()).isEqualTo(TimeoutAction.ABANDON);
				assertThat(quotes.settings().maxPendingCalls()).isEqualTo(100);
				assertThat(orders.settings().callTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(orders.settings().timeoutAction()).isEqualTo(TimeoutAction.ABANDON);
				assertThat(orders.settings().maxPendingCalls()).isEqualTo(3);
				assertThat(orders.settings().maxResponseBytes()).isEqualTo(1024 * 1024);
			});
	}

	@Test
	void theMasterSwitchTurnsEverythingOff() {
		this.runner.withPropertyValues("cancellable-soap.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceProxy.class)
				.doesNotHaveBean(ServiceProxies.class)
				.doesNotHaveBean(MeterCallListener.class));
	}

	@Test
	void nothingIsConfiguredWithoutHttpClient5() {
		this.runner.withClassLoader(new FilteredClassLoader(CloseableHttpAsyncClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceProxy.class)
				.doesNotHaveBean(ServiceProxies.class));
	}

	@Test
	void theUsersOwnBeansWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(CancellationTimer.class)).isSameAs(UserBeans.TIMER);
			assertThat(context.getBean(ServiceProxies.class).all()).isEmpty();
		});
	}

	@Test
	void customizersSeeEachProxysTemplate() {
		this.runner.withUserConfiguration(Customizing.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Customizing.class).seen).containsExactlyInAnyOrder("quotes", "orders");
		});
	}

	@Test
	void aProxyWithoutAnAddressFailsTheStartNamingTheProperty() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class))
			.withPropertyValues("cancellable-soap.proxies.broken.call-timeout=5s")
			.run(failsOn("cancellable-soap.proxies.broken.address", "needs the absolute http or https address"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					cancellable-soap.proxies.quotes.call-timeout=-1s | cancellable-soap.proxies.quotes.call-timeout \
					| positive duration
					cancellable-soap.proxies.quotes.address=/ws | cancellable-soap.proxies.quotes.address \
					| absolute http or https URI
					cancellable-soap.proxies[_quotes].address=http://localhost:1/ws | cancellable-soap.proxies \
					| "A service proxy name must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, not '_quotes'"
					cancellable-soap.proxies.quotes.max-pending-calls=0 | cancellable-soap.proxies.quotes.max-pending-calls \
					| at least 1
					cancellable-soap.proxies.quotes.close-timeout=-1s | cancellable-soap.proxies.quotes.close-timeout \
					| must not be negative
					cancellable-soap.proxies.quotes.max-response-headers=0 \
					| cancellable-soap.proxies.quotes.max-response-headers | at least 1
					cancellable-soap.proxies.quotes.max-response-header-size=0B \
					| cancellable-soap.proxies.quotes.max-response-header-size | between 1B and 2047MB
					cancellable-soap.proxy-defaults.max-response-size=3GB | cancellable-soap.proxies.quotes.max-response-size \
					| between 1B and 2047MB
					cancellable-soap.proxies.quotes.max-xml-depth=-1 | cancellable-soap.proxies.quotes.max-xml-depth \
					| at least 1
					""")
	void aBadProxyPropertyFailsTheStartNamingThePropertyAndWhatToFix(String setting, String property, String message) {
		this.runner.withPropertyValues(setting).run(failsOn(property, message));
	}

	@Test
	void anUnknownTimeoutActionFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("cancellable-soap.proxies.quotes.timeout-action=retry")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("cancellable-soap.proxies.quotes.timeout-action"));
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		final ServiceProxy quotes;

		QualifiedInjection(@Qualifier("quotes") ServiceProxy quotes) {
			this.quotes = quotes;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final CancellationTimer TIMER = new CancellationTimer("user");

		@Bean
		CancellationTimer userTimer() {
			return TIMER;
		}

		@Bean
		ServiceProxies userProxies() {
			return new ServiceProxies(java.util.List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizing {

		final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

		@Bean
		ServiceProxyCustomizer recordingCustomizer() {
			return (name, template) -> {
				assertThat(template).isInstanceOf(WebServiceTemplate.class);
				this.seen.add(name);
			};
		}

	}

}
