package io.github.cancellablesoap.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a Spring WS endpoint class or endpoint method to the service hosts that serve it.
 * An annotation on a method wins over one on its class.
 * <p>
 * Endpoints without it are served by the hosts that serve unbound endpoints (the single
 * host, when only one is configured).
 *
 * @author Cancellable SOAP
 * @see ServiceHostSettings#servesUnboundEndpoints()
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HostedBy {

	/**
	 * The names of the hosts that serve the endpoint.
	 * @return one or more host names
	 */
	String[] value();

}
