package io.github.cancellablesoap.autoconfigure.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.ws.WebServiceMessageFactory;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;

import static io.github.cancellablesoap.autoconfigure.StartupFailures.failsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code soap-version}: a proxy's template makes messages of the version its property or
 * {@code proxy-defaults} names, SOAP 1.1 when none does, and a message factory that a
 * {@link ServiceProxyCustomizer} sets wins.
 */
class ProxySoapVersionPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class))
		.withPropertyValues("cancellable-soap.proxies.quotes.address=http://127.0.0.1:1/ws",
				"cancellable-soap.proxies.orders.address=http://127.0.0.1:1/ws");

	private final Map<String, WebServiceMessageFactory> factories = new ConcurrentHashMap<>();

	@Test
	void proxiesSpeakTheVersionTheirPropertyNames() {
		this.runner
			.withPropertyValues("cancellable-soap.proxy-defaults.soap-version=1.2",
					"cancellable-soap.proxies.orders.soap-version=1.1")
			.withBean(ServiceProxyCustomizer.class,
					() -> (name, template) -> this.factories.put(name, template.getMessageFactory()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean("quotesServiceProxy");
				context.getBean("ordersServiceProxy");
				assertThat(version(this.factories.get("quotes"))).isEqualTo(SoapVersion.SOAP_12);
				assertThat(version(this.factories.get("orders"))).isEqualTo(SoapVersion.SOAP_11);
			});
	}

	@Test
	void withoutThePropertyProxiesSpeakSoap11() {
		this.runner
			.withBean(ServiceProxyCustomizer.class,
					() -> (name, template) -> this.factories.put(name, template.getMessageFactory()))
			.run((context) -> {
				context.getBean("quotesServiceProxy");
				assertThat(version(this.factories.get("quotes"))).isEqualTo(SoapVersion.SOAP_11);
			});
	}

	@Test
	void aFactoryThatACustomizerSetsWins() {
		SaajSoapMessageFactory soap12 = new SaajSoapMessageFactory();
		soap12.setSoapVersion(SoapVersion.SOAP_12);
		soap12.afterPropertiesSet();
		this.runner.withPropertyValues("cancellable-soap.proxies.quotes.soap-version=1.1")
			.withBean("setter", ServiceProxyCustomizer.class,
					() -> (name, template) -> template.setMessageFactory(soap12))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("quotesServiceProxy")).isNotNull();
				assertThat(version(soap12)).isEqualTo(SoapVersion.SOAP_12);
			});
	}

	@Test
	void anUnknownVersionFailsNamingTheProperty() {
		this.runner.withPropertyValues("cancellable-soap.proxies.quotes.soap-version=1.3")
			.run(failsOn("cancellable-soap.proxies.quotes.soap-version", "must be 1.1 or 1.2"));
	}

	private static SoapVersion version(WebServiceMessageFactory factory) {
		return ((SoapMessage) factory.createWebServiceMessage()).getVersion();
	}

}
