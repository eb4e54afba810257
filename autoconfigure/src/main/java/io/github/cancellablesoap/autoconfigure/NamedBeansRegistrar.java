package io.github.cancellablesoap.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * The one way configured proxies and hosts become beans: binds the
 * {@code cancellable-soap} properties before any bean exists, lets a subclass validate
 * them (so a bad configuration fails the start-up with the property's name) and
 * registers, per configured name, a bean {@code <name><suffix>} with the qualifier
 * {@code <name>}, created lazily from the bean factory, unless the application defined a
 * bean of that name itself.
 * <p>
 * Used by the container, once, on the thread that refreshes the context.
 *
 * @author Cancellable SOAP
 */
public abstract class NamedBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public final void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public final void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public final void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.environment == null || this.beanFactory == null) {
			return;
		}
		Binder binder = Binder.get(this.environment);
		CancellableSoapProperties properties = binder.bindOrCreate(CancellableSoapProperties.PREFIX,
				CancellableSoapProperties.class);
		register(registry, this.beanFactory, properties, binder);
	}

	/**
	 * Validate the configuration and register its beans.
	 * @param registry where to register
	 * @param beanFactory the bean factory the beans are later created from
	 * @param properties the bound properties
	 * @param binder the binder, for other properties
	 */
	protected abstract void register(BeanDefinitionRegistry registry, BeanFactory beanFactory,
			CancellableSoapProperties properties, Binder binder);

	/**
	 * Register one configured proxy's or host's bean, injectable with
	 * {@code @Qualifier("<name>")}, unless a bean of its name exists.
	 * @param <T> the bean type
	 * @param registry where to register
	 * @param beanName the bean name
	 * @param name the configured name, the bean's qualifier
	 * @param type the bean type
	 * @param supplier creates the bean
	 * @param destroyMethod the method that closes the bean when the context closes, or
	 * {@code null} for none
	 */
	protected static <T> void registerNamed(BeanDefinitionRegistry registry, String beanName, String name,
			Class<T> type, Supplier<T> supplier, @Nullable String destroyMethod) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(type);
		definition.setTargetType(type);
		definition.setInstanceSupplier(supplier);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		if (destroyMethod != null) {
			definition.setDestroyMethodName(destroyMethod);
		}
		registry.registerBeanDefinition(beanName, definition);
	}

}
