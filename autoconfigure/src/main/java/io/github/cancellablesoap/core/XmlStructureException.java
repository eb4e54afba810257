package io.github.cancellablesoap.core;

import java.io.IOException;

/**
 * Thrown by an {@link XmlStructureGuard} when a document goes past its nesting bound,
 * declares a DTD or is so malformed that its structure cannot be followed. It is an
 * {@link IOException} so that it ends a read of the document the way any other broken
 * stream does.
 *
 * @author Cancellable SOAP
 */
public final class XmlStructureException extends IOException {

	private static final long serialVersionUID = 1L;

	private final boolean limitExceeded;

	XmlStructureException(String message, boolean limitExceeded) {
		super(message);
		this.limitExceeded = limitExceeded;
	}

	/**
	 * Whether the document went past a bound (as opposed to being refused for its form).
	 * @return {@code true} for a bound, {@code false} for a DTD or a broken structure
	 */
	public boolean isLimitExceeded() {
		return this.limitExceeded;
	}

}
