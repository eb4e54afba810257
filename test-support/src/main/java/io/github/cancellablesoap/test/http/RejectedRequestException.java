package io.github.cancellablesoap.test.http;

/**
 * A request the server refuses to read further: malformed, or over a bound. The
 * connection answers it with {@link #status()} and the message as plain text, then
 * closes.
 */
final class RejectedRequestException extends RuntimeException {

	private final int status;

	RejectedRequestException(int status, String message, Throwable cause) {
		super(message, cause);
		this.status = status;
	}

	int status() {
		return this.status;
	}

}
