package io.github.cancellablesoap.sample.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the sample: the {@code soapcalls} operator endpoint needs a user (reads) or
 * an operator (writes), with HTTP Basic; everything else (the SOAP service, the
 * {@code /demo} front end, health and metrics) is open.
 * <p>
 * <strong>Demo only:</strong> the two users and their passwords are fixed in code
 * ({@code operator}/{@code operator} with the role {@code SOAP_OPERATOR},
 * {@code viewer}/{@code viewer} with none). A real application takes its users from its
 * identity provider and keeps the management endpoints on a private port.
 *
 * @author Cancellable SOAP
 */
@Configuration(proxyBeanMethods = false)
public class DemoSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain operatorEndpoint(HttpSecurity http) throws Exception {
		http.securityMatcher("/actuator/soapcalls/**", "/actuator/soapcalls")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET)
				.authenticated()
				.anyRequest()
				.hasRole("SOAP_OPERATOR"))
			.httpBasic(Customizer.withDefaults())
			// Operator writes are API calls authenticated on every request, not by a
			// cookie.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			// The demo's endpoints are plain API calls made with curl.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	UserDetailsService demoUsers() {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}operator").roles("SOAP_OPERATOR").build(),
				User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build());
	}

}
