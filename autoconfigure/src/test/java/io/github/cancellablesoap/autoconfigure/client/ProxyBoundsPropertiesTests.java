package io.github.cancellablesoap.autoconfigure.client;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response bounds and the address rules of proxies, as properties: defaults, values
 * from {@code proxy-defaults} and per proxy, and start-up failures that name the property
 * without repeating a secret.
 */
class ProxyBoundsPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class));

	@Test
	void responseBoundsHaveDefaultsAndComeFromDefaultsOrTheProxy() {
		this.runner
			.withPropertyValues("cancellable-soap.proxies.quotes.address=http://127.0.0.1:1/ws",
					"cancellable-soap.proxies.orders.address=http://127.0.0.1:2/ws",
					"cancellable-soap.proxy-defaults.max-response-headers=50",
					"cancellable-soap.proxies.orders.max-response-header-size=8KB",
					"cancellable-soap.proxies.orders.max-xml-depth=64")
			.run((context) -> {
				ProxySettings quotes = settings(context, "quotes");
				assertThat(quotes.maxResponseHeaderBytes()).isEqualTo(64 * 1024);
				assertThat(quotes.maxResponseHeaders()).isEqualTo(50);
				assertThat(quotes.maxXmlDepth()).isEqualTo(256);
				ProxySettings orders = settings(context, "orders");
				assertThat(orders.maxResponseHeaderBytes()).isEqualTo(8 * 1024);
				assertThat(orders.maxResponseHeaders()).isEqualTo(50);
				assertThat(orders.maxXmlDepth()).isEqualTo(64);
			});
	}

	@Test
	void anAddressWithUserInfoFailsTheStartSayingWhereCredentialsGoWithoutShowingThem() {
		this.runner.withPropertyValues("cancellable-soap.proxies.quotes.address=http://alice:s3cret@127.0.0.1:1/ws")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(failure(context)).hasMessageContaining("cancellable-soap.proxies.quotes.address")
					.hasMessageContaining("user info")
					.hasMessageContaining("credentials.username")
					.hasMessageContaining("ServiceProxyRequestCustomizer");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("http://127.0.0.1:1/ws");
				assertThat(stackTraceOf(context.getStartupFailure())).doesNotContain("s3cret").doesNotContain("alice");
			});
	}

	private static ProxySettings settings(AssertableApplicationContext context, String name) {
		return ((DefaultServiceProxy) context.getBean(name + "ServiceProxy", ServiceProxy.class)).settings();
	}

	private static Throwable failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static String stackTraceOf(Throwable failure) {
		java.io.StringWriter text = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

}
