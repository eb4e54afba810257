package io.github.cancellablesoap.autoconfigure.client;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.NamedBeansRegistrar;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CompositeCallListener;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.IsolatedCallListener;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.client.ServiceProxyRequestCustomizer;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webservices.client.WebServiceTemplateBuilder;
import org.springframework.util.ClassUtils;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;

/**
 * Registers one {@link ServiceProxy} bean per {@code cancellable-soap.proxies.<name>}:
 * bean name {@code <name>ServiceProxy}, qualifier {@code <name>}. The settings are
 * validated here, so a bad configuration fails the start-up with the property's name.
 *
 * @author Cancellable SOAP
 */
class ServiceProxyRegistrar extends NamedBeansRegistrar {

	private static final boolean BUILDER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.webservices.client.WebServiceTemplateBuilder",
			ServiceProxyRegistrar.class.getClassLoader());

	@Override
	protected void register(BeanDefinitionRegistry registry, BeanFactory beanFactory,
			CancellableSoapProperties properties, Binder binder) {
		ProxySettingsFactory settingsFactory = new ProxySettingsFactory(properties,
				BootHttpClientDefaults.from(binder));
		for (String name : properties.getProxies().keySet()) {
			// Checked now, so that a bad property fails before any bean exists; the SSL
			// bundle is resolved with the bean, from Boot's SslBundles.
			settingsFactory.create(name);
			SoapVersion soapVersion = settingsFactory.soapVersion(name);
			registerNamed(registry, beanName(name), name, DefaultServiceProxy.class,
					() -> createProxy(
							settingsFactory.create(name,
									beanFactory.getBeanProvider(SslBundles.class).getIfAvailable()),
							soapVersion, beanFactory),
					"close");
		}
	}

	/**
	 * The bean name of a configured proxy.
	 * @param proxyName the proxy name
	 * @return the bean name
	 */
	static String beanName(String proxyName) {
		return proxyName + "ServiceProxy";
	}

	private static DefaultServiceProxy createProxy(ProxySettings settings, @Nullable SoapVersion soapVersion,
			BeanFactory beanFactory) {
		WebServiceTemplate template = BUILDER_PRESENT ? Templates.fromBuilder(beanFactory) : new WebServiceTemplate();
		if (soapVersion != null) {
			// before the customizers, so that a factory one of them sets wins
			SaajSoapMessageFactory factory = new SaajSoapMessageFactory();
			factory.setSoapVersion(soapVersion);
			factory.afterPropertiesSet();
			template.setMessageFactory(factory);
		}
		beanFactory.getBeanProvider(ServiceProxyCustomizer.class)
			.orderedStream()
			.forEach((customizer) -> customizer.customize(settings.name(), template));
		DefaultServiceProxy proxy = ServiceProxyFactory.create(settings, template,
				beanFactory.getBean(CancellationTimer.class),
				beanFactory.getBeanProvider(ServiceProxyRequestCustomizer.class).orderedStream().toList());
		proxy.setCallListener(CompositeCallListener.of(beanFactory.getBeanProvider(CallListener.class)
			.orderedStream()
			.map(IsolatedCallListener::of)
			.toList()));
		return proxy;
	}

	/**
	 * Builds templates with Boot's builder, which applies the application's customizers
	 * and marshallers; kept apart so that the builder class is only loaded when present.
	 */
	private static final class Templates {

		static WebServiceTemplate fromBuilder(BeanFactory beanFactory) {
			WebServiceTemplateBuilder builder = beanFactory.getBeanProvider(WebServiceTemplateBuilder.class)
				.getIfAvailable(WebServiceTemplateBuilder::new);
			return builder.detectHttpMessageSender(false).build();
		}

	}

}
