package io.github.cancellablesoap.core;

/**
 * Marks a call or operation listener that hears every event on the thread where the event
 * happens, product threads included: for listeners that are quick and never block, such
 * as the product's own meters and observations, which then see events in order and at
 * once.
 * <p>
 * The auto-configuration hands every other listener bean its events through an
 * {@link IsolatedDelivery}: events raised on a product thread (a timer, a caller-gone
 * detector, the close pool) reach it on an application thread, so that a listener that
 * blocks or throws harms only itself.
 *
 * @author Cancellable SOAP
 */
public interface InlineListener {

}
