package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.List;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.PoolSettings;
import io.github.cancellablesoap.client.ConnectionSettings;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forward proxy, credentials, compression and pool properties of proxies: defaults,
 * groups from {@code proxy-defaults} or the proxy, and start-up failures that name the
 * property without showing a password.
 */
class ProxyConnectionPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.proxies.quotes.address=http://127.0.0.1:1/ws",
				"cancellable-soap.proxies.orders.address=http://127.0.0.1:2/ws");

	@Test
	void theDefaultsConnectDirectlyWithoutCredentialsOrCompressionAndEvictIdleConnectionsAfterAMinute() {
		this.runner.run((context) -> {
			ConnectionSettings connection = settings(context, "quotes").connection();
			assertThat(connection.forwardProxy()).isNull();
			assertThat(connection.credentials()).isNull();
			assertThat(connection.compressRequests()).isFalse();
			assertThat(connection.pool()).isEqualTo(PoolSettings.DEFAULTS);
			assertThat(connection.pool().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(connection.pool().timeToLive()).isNull();
			assertThat(connection.pool().validateAfterInactivity()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void groupsComeWholeFromTheProxyOrFromProxyDefaultsAndPoolValuesOneByOne() {
		this.runner
			.withPropertyValues("cancellable-soap.proxy-defaults.forward-proxy.host=proxy.example.com",
					"cancellable-soap.proxy-defaults.forward-proxy.username=bob",
					"cancellable-soap.proxy-defaults.forward-proxy.password=pr0xy",
					"cancellable-soap.proxy-defaults.forward-proxy.non-proxy-hosts=localhost,*.internal",
					"cancellable-soap.proxy-defaults.credentials.username=alice",
					"cancellable-soap.proxy-defaults.credentials.password=s3cret",
					"cancellable-soap.proxy-defaults.pool.idle-timeout=30s",
					"cancellable-soap.proxy-defaults.compress-requests=true",
					"cancellable-soap.proxies.orders.forward-proxy.host=other-proxy",
					"cancellable-soap.proxies.orders.forward-proxy.port=8080",
					"cancellable-soap.proxies.orders.credentials.username=carol",
					"cancellable-soap.proxies.orders.credentials.password=",
					"cancellable-soap.proxies.orders.pool.time-to-live=5m",
					"cancellable-soap.proxies.orders.pool.validate-after-inactivity=0s",
					"cancellable-soap.proxies.orders.compress-requests=false")
			.run((context) -> {
				ConnectionSettings quotes = settings(context, "quotes").connection();
				assertThat(quotes.forwardProxy().host()).isEqualTo("proxy.example.com");
				assertThat(quotes.forwardProxy().port()).isEqualTo(3128);
				assertThat(quotes.forwardProxy().credentials().username()).isEqualTo("bob");
				assertThat(quotes.forwardProxy().nonProxyHosts()).containsExactly("localhost", "*.internal");
				assertThat(quotes.credentials().username()).isEqualTo("alice");
				assertThat(quotes.compressRequests()).isTrue();
				assertThat(quotes.pool().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
				ConnectionSettings orders = settings(context, "orders").connection();
				assertThat(orders.forwardProxy().host()).isEqualTo("other-proxy");
				assertThat(orders.forwardProxy().port()).isEqualTo(8080);
				assertThat(orders.forwardProxy().credentials()).as("not bob's, with another host").isNull();
				assertThat(orders.forwardProxy().nonProxyHosts()).isEmpty();
				assertThat(orders.credentials().username()).isEqualTo("carol");
				assertThat(orders.credentials().password()).isEmpty();
				assertThat(orders.compressRequests()).isFalse();
				assertThat(orders.pool())
					.isEqualTo(new PoolSettings(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ZERO));
			});
	}

	@Test
	void aRequestCustomizerBeanIsPickedUp() {
		this.runner
			.withBean(io.github.cancellablesoap.client.ServiceProxyRequestCustomizer.class,
					() -> (name, uri, headers) -> headers.accept("X-Proxy", name))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void badValuesFailTheStartNamingThePropertyWithoutShowingAPassword() {
		for (List<String> bad : List.of(
				List.of("cancellable-soap.proxies.quotes.credentials.password=s3cret",
						"cancellable-soap.proxies.quotes.credentials.username"),
				List.of("cancellable-soap.proxies.quotes.credentials.username=al:ice",
						"cancellable-soap.proxies.quotes.credentials.password=s3cret",
						"cancellable-soap.proxies.quotes.credentials.username"),
				List.of("cancellable-soap.proxies.quotes.credentials.username=alice",
						"cancellable-soap.proxies.quotes.credentials.password"),
				List.of("cancellable-soap.proxies.quotes.forward-proxy.username=bob",
						"cancellable-soap.proxies.quotes.forward-proxy.password=s3cret",
						"cancellable-soap.proxies.quotes.forward-proxy.host"),
				List.of("cancellable-soap.proxies.quotes.forward-proxy.host=http://proxy:3128",
						"cancellable-soap.proxies.quotes.forward-proxy.host"),
				List.of("cancellable-soap.proxies.quotes.forward-proxy.host=proxy",
						"cancellable-soap.proxies.quotes.forward-proxy.port=70000",
						"cancellable-soap.proxies.quotes.forward-proxy.port"),
				List.of("cancellable-soap.proxies.quotes.forward-proxy.host=proxy",
						"cancellable-soap.proxies.quotes.forward-proxy.non-proxy-hosts[0]=a|b",
						"cancellable-soap.proxies.quotes.forward-proxy.non-proxy-hosts[0]"),
				List.of("cancellable-soap.proxies.quotes.pool.idle-timeout=-1s",
						"cancellable-soap.proxies.quotes.pool.idle-timeout"),
				List.of("cancellable-soap.proxies.quotes.pool.time-to-live=0s",
						"cancellable-soap.proxies.quotes.pool.time-to-live"))) {
			String property = bad.get(bad.size() - 1);
			this.runner.withPropertyValues(bad.subList(0, bad.size() - 1).toArray(String[]::new)).run((context) -> {
				assertThat(context).as("%s", bad).hasFailed();
				Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(failure).as("%s", bad).hasMessageContaining(property);
				java.io.StringWriter text = new java.io.StringWriter();
				context.getStartupFailure().printStackTrace(new java.io.PrintWriter(text));
				assertThat(text.toString()).as("%s", bad).doesNotContain("s3cret");
			});
		}
	}

	private static ProxySettings settings(AssertableApplicationContext context, String name) {
		return ((DefaultServiceProxy) context.getBean(name + "ServiceProxy", ServiceProxy.class)).settings();
	}

}
