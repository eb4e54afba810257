package io.github.cancellablesoap.operator;

/**
 * What the {@link OperatorService} answers to one read or write: a status that the web
 * edges turn into an HTTP status, and a body that is either a descriptor or an
 * {@link OperatorError}.
 *
 * @param status how the request went
 * @param body the descriptor, the action result, or an {@link OperatorError}
 * @author Cancellable SOAP
 */
public record OperatorAnswer(Status status, Object body) {

	static OperatorAnswer ok(Object body) {
		return new OperatorAnswer(Status.OK, body);
	}

	static OperatorAnswer error(Status status, String detail) {
		return new OperatorAnswer(status, new OperatorError(status.title(), detail, null));
	}

	static OperatorAnswer conflict(String detail, String state) {
		return new OperatorAnswer(Status.CONFLICT, new OperatorError(Status.CONFLICT.title(), detail, state));
	}

	/**
	 * Whether the request succeeded.
	 * @return {@code true} for {@link Status#OK}
	 */
	public boolean isOk() {
		return this.status == Status.OK;
	}

	/**
	 * How a request went, with the HTTP status the web edges answer.
	 */
	public enum Status {

		/** Done, or nothing needed doing. */
		OK(200, "OK"),

		/** Malformed input: unknown action or mode, bad id shape, bad limit. */
		BAD_REQUEST(400, "Bad Request"),

		/** No authenticated user. */
		UNAUTHORIZED(401, "Unauthorized"),

		/** The user lacks the operator role. */
		FORBIDDEN(403, "Forbidden"),

		/** No such proxy, host, call, channel or operation. */
		NOT_FOUND(404, "Not Found"),

		/** The verb does not apply to that collection. */
		METHOD_NOT_ALLOWED(405, "Method Not Allowed"),

		/** The verb is not valid in the target's current state. */
		CONFLICT(409, "Conflict");

		private final int httpStatus;

		private final String title;

		Status(int httpStatus, String title) {
			this.httpStatus = httpStatus;
			this.title = title;
		}

		/**
		 * The HTTP status code.
		 * @return the code
		 */
		public int httpStatus() {
			return this.httpStatus;
		}

		/**
		 * The HTTP reason phrase, used as the error title.
		 * @return the title
		 */
		public String title() {
			return this.title;
		}

	}

}
