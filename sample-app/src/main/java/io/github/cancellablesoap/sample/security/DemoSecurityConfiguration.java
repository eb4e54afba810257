package io.github.cancellablesoap.sample.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the sample: the operator surface (the {@code soapcalls} actuator endpoint,
 * the REST abort controller at {@code cancellable-soap.controller.path} when it is
 * enabled, the {@code /demo} verbs and the audit events) needs a user for reads and an
 * operator for writes, with HTTP Basic; the {@code /demo} calls and reads, the SOAP
 * service, health and metrics are open. Every request is stateless: no HTTP session is
 * ever created, not even for a refused one.
 * <p>
 * <strong>Demo only:</strong> the two users and their passwords are fixed in code
 * ({@code operator}/{@code operator} with the role {@code SOAP_OPERATOR},
 * {@code viewer}/{@code viewer} with none), and the audit events are kept in memory. A
 * real application takes its users from its identity provider, stores its audit trail and
 * keeps the management endpoints on a private port.
 *
 * @author Cancellable SOAP
 */
@Configuration(proxyBeanMethods = false)
public class DemoSecurityConfiguration {

	/** The role of the users who may run operator verbs. */
	public static final String OPERATOR_ROLE = "SOAP_OPERATOR";

	@Bean
	@Order(1)
	SecurityFilterChain operatorSurface(HttpSecurity http,
			@Value("${cancellable-soap.controller.path:/soapcalls}") String controllerPath) throws Exception {
		String controller = withoutTrailingSlash(controllerPath);
		http.securityMatcher("/actuator/soapcalls", "/actuator/soapcalls/**", "/actuator/auditevents",
				"/actuator/auditevents/**", controller, controller + "/**", "/demo/**")
			.authorizeHttpRequests((requests) -> requests
				// The /demo verbs are operator writes, run by the same operator service
				// as the endpoint and the controller.
				.requestMatchers(HttpMethod.DELETE, "/demo/calls/**")
				.hasRole(OPERATOR_ROLE)
				.requestMatchers(HttpMethod.POST, "/demo/proxy/**")
				.hasRole(OPERATOR_ROLE)
				// Asking for quotes and reports, and watching them, is the demo itself.
				.requestMatchers("/demo/**")
				.permitAll()
				// The audit trail names users and what they did: operators only.
				.requestMatchers("/actuator/auditevents", "/actuator/auditevents/**")
				.hasRole(OPERATOR_ROLE)
				.requestMatchers(HttpMethod.GET)
				.authenticated()
				.anyRequest()
				.hasRole(OPERATOR_ROLE))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// API calls authenticated on every request, never by a cookie.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// The SOAP service, health and metrics are plain API calls.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	UserDetailsService demoUsers() {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}operator").roles(OPERATOR_ROLE).build(),
				User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build());
	}

	/**
	 * Keeps the last audit events (operator actions, logins) in memory, so that Boot
	 * records them and {@code /actuator/auditevents} shows them.
	 * @return the repository
	 */
	@Bean
	AuditEventRepository demoAuditEvents() {
		return new InMemoryAuditEventRepository();
	}

	private static String withoutTrailingSlash(String path) {
		String trimmed = path.strip();
		while (trimmed.length() > 1 && trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
	}

}
