package io.github.cancellablesoap.operator;

/**
 * Decides whether the current user may read or act, and names them for the audit.
 * <p>
 * Implementations must be thread-safe; they are asked on the request thread.
 *
 * @author Cancellable SOAP
 */
public interface OperatorAuthorizer {

	/** The principal name audited when nobody is authenticated. */
	String ANONYMOUS = "anonymous";

	/**
	 * Lets everybody read and act: used without Spring Security, where granting the
	 * endpoint write access or enabling the controller is the explicit opt-in.
	 */
	OperatorAuthorizer PERMIT_ALL = new OperatorAuthorizer() {

		@Override
		public Decision authorize(boolean write) {
			return Decision.ALLOWED;
		}

		@Override
		public String principal() {
			return ANONYMOUS;
		}

	};

	/**
	 * Whether the current user may read, or act.
	 * @param write {@code true} for a write (an operator verb), {@code false} for a read
	 * @return the decision
	 */
	Decision authorize(boolean write);

	/**
	 * The current user's name, for the audit.
	 * @return the name, or {@link #ANONYMOUS}
	 */
	String principal();

	/**
	 * An authorization decision.
	 */
	enum Decision {

		/** Go ahead. */
		ALLOWED,

		/** Nobody is authenticated. */
		UNAUTHENTICATED,

		/** The user is authenticated but lacks the operator role. */
		FORBIDDEN

	}

}
