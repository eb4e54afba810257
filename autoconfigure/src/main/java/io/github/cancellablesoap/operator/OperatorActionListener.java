package io.github.cancellablesoap.operator;

/**
 * Hears every operator write once it has been answered: for audit events, meters and the
 * like. Called on the request thread; must be quick and must not throw.
 * <p>
 * Implementations must be thread-safe.
 *
 * @author Cancellable SOAP
 */
@FunctionalInterface
public interface OperatorActionListener {

	/**
	 * An operator write was answered.
	 * @param action what was asked and how it went
	 */
	void actionTaken(OperatorAction action);

}
