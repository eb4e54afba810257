package io.github.cancellablesoap.autoconfigure.server;

import java.lang.reflect.Constructor;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.NamedBeansRegistrar;
import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.server.CompositeOperationListener;
import io.github.cancellablesoap.server.DefaultServiceHost;
import io.github.cancellablesoap.server.IsolatedOperationListener;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHostServlet;
import io.github.cancellablesoap.server.ServiceHostSettings;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.InstanceSupplier;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.ws.wsdl.wsdl11.Wsdl11Definition;

/**
 * Registers, per {@code cancellable-soap.hosts.<name>}, one {@link ServiceHost} bean
 * (bean name {@code <name>ServiceHost}, qualifier {@code <name>}) and the servlet
 * registration of its intake (bean name {@code <name>ServiceHostRegistration}, servlet
 * name {@code serviceHost-<name>}, mapped to the host's path and everything below it).
 * Each host hears through every {@link OperationListener} bean, in order. The settings
 * are validated here, so a bad configuration fails the start-up with the property's name.
 *
 * @author Cancellable SOAP
 */
class ServiceHostRegistrar extends NamedBeansRegistrar {

	private static final String WEB_SERVICES_AUTO_CONFIGURATION = "org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration";

	@Override
	protected void register(BeanDefinitionRegistry registry, BeanFactory beanFactory,
			CancellableSoapProperties properties, Binder binder) {
		HostSettingsFactory settingsFactory = new HostSettingsFactory(properties, webServicesPath(binder));
		for (ServiceHostSettings settings : settingsFactory.createAll()) {
			String hostBeanName = hostBeanName(settings.name());
			registerNamed(registry, hostBeanName, settings.name(), DefaultServiceHost.class,
					() -> createHost(settings, beanFactory), null);
			String registrationBeanName = registrationBeanName(settings.name());
			if (!registry.containsBeanDefinition(registrationBeanName)) {
				RootBeanDefinition registration = new RootBeanDefinition(ServletRegistrationBean.class);
				registration.setTargetType(
						ResolvableType.forClassWithGenerics(ServletRegistrationBean.class, ServiceHostServlet.class));
				InstanceSupplier<ServletRegistrationBean<ServiceHostServlet>> supplier = (
						registered) -> createRegistration(registered, hostBeanName);
				registration.setInstanceSupplier(supplier);
				registry.registerBeanDefinition(registrationBeanName, registration);
			}
		}
	}

	/**
	 * The bean name of a configured host.
	 * @param hostName the host name
	 * @return the bean name
	 */
	static String hostBeanName(String hostName) {
		return hostName + "ServiceHost";
	}

	/**
	 * The bean name of the servlet registration of a configured host.
	 * @param hostName the host name
	 * @return the bean name
	 */
	static String registrationBeanName(String hostName) {
		return hostName + "ServiceHostRegistration";
	}

	private static DefaultServiceHost createHost(ServiceHostSettings settings, BeanFactory beanFactory) {
		DefaultServiceHost host = new DefaultServiceHost(settings, beanFactory.getBean(CancellationTimer.class),
				beanFactory.getBean(CallbackExecutor.class));
		host.setOperationListener(CompositeOperationListener.of(beanFactory.getBeanProvider(OperationListener.class)
			.orderedStream()
			.map(IsolatedOperationListener::of)
			.toList()));
		return host;
	}

	private @Nullable String webServicesPath(Binder binder) {
		if (!ClassUtils.isPresent(WEB_SERVICES_AUTO_CONFIGURATION, getClass().getClassLoader())) {
			return null;
		}
		return binder.bind("spring.webservices.path", String.class).orElse("/services");
	}

	private static ServletRegistrationBean<ServiceHostServlet> createRegistration(RegisteredBean registered,
			String hostBeanName) throws NoSuchMethodException {
		BeanFactory beanFactory = registered.getBeanFactory();
		DefaultServiceHost host = beanFactory.getBean(hostBeanName, DefaultServiceHost.class);
		requireWsdlDefinition(beanFactory, host.settings());
		ServiceHostServlet servlet = new ServiceHostServlet(host, applicationContext(registered),
				beanFactory.getBean(CallerGoneDetector.class));
		ServletRegistrationBean<ServiceHostServlet> registration = new ServletRegistrationBean<>(servlet,
				host.settings().urlMappings().toArray(String[]::new));
		registration.setName("serviceHost-" + host.name());
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

	/**
	 * Fail the start-up when the WSDL definition a host names is not a
	 * {@code Wsdl11Definition} bean.
	 */
	private static void requireWsdlDefinition(BeanFactory beanFactory, ServiceHostSettings settings) {
		String named = settings.wire().wsdlDefinition();
		if (named != null
				&& !(beanFactory.containsBean(named) && beanFactory.isTypeMatch(named, Wsdl11Definition.class))) {
			throw new InvalidConfigurationPropertyValueException(CancellableSoapProperties.PREFIX + ".hosts." + settings
				.name() + ".wsdl-definition", named, "No Wsdl11Definition bean is named '" + named
						+ "'; name one (a DefaultWsdl11Definition or SimpleWsdl11Definition bean) or remove the property");
		}
	}

	/**
	 * The application context, resolved as the servlet's constructor argument would be
	 * autowired: the context is a resolvable dependency, not a bean.
	 */
	private static ApplicationContext applicationContext(RegisteredBean registered) throws NoSuchMethodException {
		Constructor<ServiceHostServlet> constructor = ServiceHostServlet.class.getConstructor(DefaultServiceHost.class,
				ApplicationContext.class, CallerGoneDetector.class);
		DependencyDescriptor descriptor = new DependencyDescriptor(new MethodParameter(constructor, 1), true);
		Object context = registered.getBeanFactory().resolveDependency(descriptor, registered.getBeanName());
		if (!(context instanceof ApplicationContext applicationContext)) {
			throw new IllegalStateException("Service hosts need to run in an ApplicationContext");
		}
		return applicationContext;
	}

}
