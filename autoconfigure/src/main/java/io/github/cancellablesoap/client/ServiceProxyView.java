package io.github.cancellablesoap.client;

import org.springframework.ws.client.core.WebServiceOperations;

/**
 * A view of a {@link ServiceProxy} whose calls differ in one respect (another call
 * timeout, or detached from the current operation), in both the blocking
 * ({@link WebServiceOperations}) and the non-blocking ({@link AsyncServiceOperations})
 * form; it shares the proxy's state, quota and calls.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public interface ServiceProxyView extends WebServiceOperations, AsyncServiceOperations {

}
