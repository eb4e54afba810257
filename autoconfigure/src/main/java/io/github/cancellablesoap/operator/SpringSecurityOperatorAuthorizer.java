package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Authorizes operators through Spring Security's current {@link Authentication}: reads
 * need an authenticated (not anonymous) user, writes the operator role. It works behind
 * whatever filter chain the application has, since it checks the authentication that the
 * chain established rather than adding rules to it.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class SpringSecurityOperatorAuthorizer implements OperatorAuthorizer {

	private static final String ROLE_PREFIX = "ROLE_";

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final String authority;

	/**
	 * Create an authorizer.
	 * @param role the role that writes need, with or without the {@code ROLE_} prefix
	 */
	public SpringSecurityOperatorAuthorizer(String role) {
		this.authority = role.startsWith(ROLE_PREFIX) ? role : ROLE_PREFIX + role;
	}

	@Override
	public Decision authorize(boolean write) {
		Authentication authentication = authenticated();
		if (authentication == null) {
			return Decision.UNAUTHENTICATED;
		}
		if (!write) {
			return Decision.ALLOWED;
		}
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (this.authority.equals(granted.getAuthority())) {
				return Decision.ALLOWED;
			}
		}
		return Decision.FORBIDDEN;
	}

	@Override
	public String principal() {
		Authentication authentication = authenticated();
		return (authentication != null) ? authentication.getName() : ANONYMOUS;
	}

	private @Nullable Authentication authenticated() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| this.trustResolver.isAnonymous(authentication)) {
			return null;
		}
		return authentication;
	}

}
