package io.github.cancellablesoap.operator;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;

/**
 * Malformed operator input found while parsing it at the edge (an unknown verb, mode or
 * collection, a malformed id): it carries the answer to give and never leaves the
 * {@link OperatorService}, which turns it into that answer. It records no stack trace.
 * <p>
 * Thread-safe: immutable.
 *
 * @author Cancellable SOAP
 */
final class OperatorRequestException extends RuntimeException {

	private final transient OperatorAnswer answer;

	OperatorRequestException(Status status, String detail) {
		super(detail, null, false, false);
		this.answer = OperatorAnswer.error(status, detail);
	}

	OperatorAnswer answer() {
		return this.answer;
	}

}
