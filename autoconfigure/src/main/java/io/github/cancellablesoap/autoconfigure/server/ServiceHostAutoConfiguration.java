package io.github.cancellablesoap.autoconfigure.server;

import io.github.cancellablesoap.autoconfigure.CancellableSoapAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.server.OperationContextWsConfigurer;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;
import io.github.cancellablesoap.server.ServiceHostsLifecycle;
import io.github.cancellablesoap.server.UnhostedMessageDispatcher;
import io.github.cancellablesoap.server.detect.AvailableProbeDetector;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;
import jakarta.servlet.http.HttpServlet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.transport.http.MessageDispatcherServlet;
import org.springframework.ws.transport.http.WebServiceMessageReceiverHandlerAdapter;

/**
 * Auto-configuration of service hosts, active in a servlet web application when at least
 * one {@code cancellable-soap.hosts.<name>} is configured: per host a {@link ServiceHost}
 * bean and the servlet registration of its intake (see {@link ServiceHostRegistrar});
 * once, the {@link ServiceHosts} look-up, the {@link OperationContextWsConfigurer} that
 * lets endpoint methods take an {@code OperationContext}, the
 * {@link ServiceHostsLifecycle} that opens hosts on start and closes them before the web
 * server stops, the {@link CallerGoneDetector}, and the {@link UnhostedMessageDispatcher}
 * through which Spring Boot's own {@code MessageDispatcherServlet} serves only endpoints
 * that no host serves. The shared {@code CancellationTimer} comes from
 * {@link CancellableSoapAutoConfiguration}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = { CancellableSoapAutoConfiguration.class, ServiceProxyAutoConfiguration.class },
		afterName = "org.springframework.boot.webservices.autoconfigure.WebServicesAutoConfiguration")
@ConditionalOnCancellableSoapEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HttpServlet.class, ServletRegistrationBean.class, WsConfigurer.class,
		WebServiceMessageReceiverHandlerAdapter.class })
@Conditional(OnServiceHostsConfiguredCondition.class)
@EnableConfigurationProperties(CancellableSoapProperties.class)
@Import(ServiceHostRegistrar.class)
public final class ServiceHostAutoConfiguration {

	private static final String TOMCAT = "org.apache.catalina.startup.Tomcat";

	@Bean
	@ConditionalOnMissingBean
	ServiceHosts serviceHosts(ObjectProvider<ServiceHost> hosts) {
		return new ServiceHosts(hosts.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceHostsLifecycle serviceHostsLifecycle(ServiceHosts hosts) {
		return new ServiceHostsLifecycle(hosts);
	}

	@Bean
	@ConditionalOnMissingBean
	OperationContextWsConfigurer operationContextWsConfigurer() {
		return new OperationContextWsConfigurer();
	}

	/**
	 * The message receiver of Spring WS's own {@code MessageDispatcherServlet} (Spring
	 * Boot's {@code spring.webservices.path}), found there by its bean name: it serves
	 * only endpoints that no host serves, so that hosted endpoints are reachable through
	 * their host alone, while the servlet keeps publishing WSDL and XSD. Backs off when
	 * the application names a receiver of its own.
	 * @param properties the bound properties, whose hosts decide whether unannotated
	 * endpoints are hosted (they are when exactly one host is configured)
	 * @return the receiver
	 */
	@Bean(MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME)
	@ConditionalOnMissingBean(name = MessageDispatcherServlet.DEFAULT_MESSAGE_RECEIVER_BEAN_NAME)
	UnhostedMessageDispatcher unhostedMessageDispatcher(CancellableSoapProperties properties) {
		return new UnhostedMessageDispatcher(properties.getHosts().size() == 1);
	}

	/**
	 * The detector that fits the system: the kernel's connection tables on Linux (any
	 * container), else the {@code available()} probe on Tomcat, none elsewhere. The probe
	 * comes second because it reads the connection's input buffer: when a client
	 * pipelines its next request behind the body, that read makes Tomcat drop the
	 * pipelined bytes, and it takes them for a gone caller. Both detectors are
	 * {@link AutoCloseable}, so their polling thread stops with the context.
	 * @param beanFactory the bean factory, whose class loader tells whether Tomcat is
	 * there
	 * @return the detector
	 */
	@Bean
	@ConditionalOnMissingBean
	CallerGoneDetector callerGoneDetector(ConfigurableListableBeanFactory beanFactory) {
		if (ProcNetTcpDetector.isSupported()) {
			return new ProcNetTcpDetector();
		}
		if (ClassUtils.isPresent(TOMCAT, beanFactory.getBeanClassLoader())) {
			return new AvailableProbeDetector();
		}
		return CallerGoneDetector.NONE;
	}

}
