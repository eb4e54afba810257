package io.github.cancellablesoap.autoconfigure.operator;

import java.util.List;

import io.github.cancellablesoap.actuate.audit.AuditEventOperatorActionListener;
import io.github.cancellablesoap.actuate.endpoint.SoapCallsEndpoint;
import io.github.cancellablesoap.actuate.endpoint.SoapCallsEndpointWebExtension;
import io.github.cancellablesoap.autoconfigure.actuate.SoapCallsEndpointAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.web.SoapCallsControllerAutoConfiguration;
import io.github.cancellablesoap.operator.OperatorAuthorizer;
import io.github.cancellablesoap.operator.OperatorService;
import io.github.cancellablesoap.operator.SpringSecurityOperatorAuthorizer;
import io.github.cancellablesoap.web.SoapCallsController;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the operator service, the soapcalls endpoint and the abort controller are
 * configured, and how they are secured.
 */
class OperatorAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OperatorAutoConfiguration.class,
				SoapCallsEndpointAutoConfiguration.class, SoapCallsControllerAutoConfiguration.class));

	@Test
	void theControllerIsOffByDefaultAndTheEndpointUnlessExposed() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(OperatorService.class)
			.hasSingleBean(AuditEventOperatorActionListener.class)
			.doesNotHaveBean(SoapCallsController.class)
			.doesNotHaveBean(SoapCallsEndpoint.class));
	}

	@Test
	void theControllerIsRegisteredWhenEnabled() {
		this.runner.withPropertyValues("cancellable-soap.controller.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SoapCallsController.class));
	}

	@Test
	void theEndpointAndItsWebExtensionAreThereWhenExposedOnTheWeb() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=soapcalls")
			.run((context) -> assertThat(context).hasSingleBean(SoapCallsEndpoint.class)
				.hasSingleBean(SoapCallsEndpointWebExtension.class));
	}

	@Test
	void withoutTheActuatorTheServiceAndControllerStayWithoutEndpointOrAudit() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=soapcalls",
					"cancellable-soap.controller.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(OperatorService.class)
				.hasSingleBean(SoapCallsController.class)
				.doesNotHaveBean(SoapCallsEndpoint.class)
				.doesNotHaveBean(AuditEventOperatorActionListener.class));
	}

	@Test
	void withoutASecurityFilterChainEverybodyMayReadAndAct() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(OperatorAuthorizer.class));
	}

	@Test
	void withoutSpringSecurityOnTheClassPathEverybodyMayReadAndAct() {
		this.runner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.withUserConfiguration(SecurityChain.class)
			.run((context) -> assertThat(context).hasSingleBean(OperatorService.class)
				.doesNotHaveBean(OperatorAuthorizer.class));
	}

	@Test
	void aSecurityFilterChainBringsTheSpringSecurityAuthorizerWithTheConfiguredRole() {
		this.runner.withUserConfiguration(SecurityChain.class)
			.withPropertyValues("cancellable-soap.operator.role=OPS")
			.run((context) -> assertThat(context).getBean(OperatorAuthorizer.class)
				.isInstanceOf(SpringSecurityOperatorAuthorizer.class));
	}

	@Test
	void theMasterSwitchTurnsItAllOff() {
		this.runner
			.withPropertyValues("cancellable-soap.enabled=false", "cancellable-soap.controller.enabled=true",
					"management.endpoints.web.exposure.include=soapcalls")
			.run((context) -> assertThat(context).doesNotHaveBean(OperatorService.class)
				.doesNotHaveBean(SoapCallsController.class)
				.doesNotHaveBean(SoapCallsEndpoint.class));
	}

	@Test
	void theUsersOwnServiceAndAuthorizerWin() {
		this.runner.withUserConfiguration(UserBeans.class, SecurityChain.class)
			.run((context) -> assertThat(context).getBean(OperatorService.class).isSameAs(UserBeans.SERVICE));
		this.runner.withUserConfiguration(UserBeans.class, SecurityChain.class)
			.run((context) -> assertThat(context).getBean(OperatorAuthorizer.class)
				.isSameAs(OperatorAuthorizer.PERMIT_ALL));
	}

	@Configuration(proxyBeanMethods = false)
	static class SecurityChain {

		@Bean
		SecurityFilterChain securityFilterChain() {
			return new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final OperatorService SERVICE = new OperatorService(List::of, List::of, OperatorAuthorizer.PERMIT_ALL,
				List.of());

		@Bean
		OperatorService operatorService() {
			return SERVICE;
		}

		@Bean
		OperatorAuthorizer operatorAuthorizer() {
			return OperatorAuthorizer.PERMIT_ALL;
		}

	}

}
