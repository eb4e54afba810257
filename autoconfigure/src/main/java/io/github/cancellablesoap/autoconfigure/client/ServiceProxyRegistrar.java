package io.github.cancellablesoap.autoconfigure.client;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CompositeCallListener;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.client.ServiceProxyCustomizer;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.webservices.client.WebServiceTemplateBuilder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.ws.client.core.WebServiceTemplate;

/**
 * Registers one {@link ServiceProxy} bean per {@code cancellable-soap.proxies.<name>}:
 * bean name {@code <name>ServiceProxy}, qualifier {@code <name>}. The settings are
 * validated here, so a bad configuration fails the start-up with the property's name.
 *
 * @author Cancellable SOAP
 */
class ServiceProxyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private static final boolean BUILDER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.webservices.client.WebServiceTemplateBuilder",
			ServiceProxyRegistrar.class.getClassLoader());

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.environment == null || this.beanFactory == null) {
			return;
		}
		CancellableSoapProperties properties = Binder.get(this.environment)
			.bindOrCreate(CancellableSoapProperties.PREFIX, CancellableSoapProperties.class);
		ProxySettingsFactory settingsFactory = new ProxySettingsFactory(properties);
		BeanFactory factory = this.beanFactory;
		for (String name : properties.getProxies().keySet()) {
			ProxySettings settings = settingsFactory.create(name);
			String beanName = beanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(DefaultServiceProxy.class);
			definition.setTargetType(DefaultServiceProxy.class);
			definition.setInstanceSupplier(() -> createProxy(settings, factory));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(beanName, definition);
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

	private static DefaultServiceProxy createProxy(ProxySettings settings, BeanFactory beanFactory) {
		WebServiceTemplate template = BUILDER_PRESENT ? Templates.fromBuilder(beanFactory) : new WebServiceTemplate();
		beanFactory.getBeanProvider(ServiceProxyCustomizer.class)
			.orderedStream()
			.forEach((customizer) -> customizer.customize(settings.name(), template));
		DefaultServiceProxy proxy = ServiceProxyFactory.create(settings, template,
				beanFactory.getBean(CancellationTimer.class));
		proxy.setCallListener(
				CompositeCallListener.of(beanFactory.getBeanProvider(CallListener.class).orderedStream().toList()));
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
