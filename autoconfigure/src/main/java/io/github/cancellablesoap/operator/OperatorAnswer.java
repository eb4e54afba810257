package io.github.cancellablesoap.operator;

import io.github.cancellablesoap.core.VerbResult;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link OperatorService} answers to one read or write: a status that the web
 * edges turn into an HTTP status, and a body that is either a descriptor or an
 * {@link OperatorError}.
 * <p>
 * Immutable, so thread-safe.
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

	static OperatorAnswer notFound(String kind, String id) {
		return error(Status.NOT_FOUND, "No " + kind + OperatorInput.quoted(id) + " is known or in flight");
	}

	static OperatorAnswer methodNotAllowed(String method, OperatorCollection collection) {
		return error(Status.METHOD_NOT_ALLOWED, method + " is not supported on " + collection.word());
	}

	/**
	 * A verb that does not fit the target's state.
	 * @param verb the verb
	 * @param kind {@code proxy} or {@code host}
	 * @param name the target's name
	 * @param state its current state
	 * @param needs the states the verb needs, in words
	 * @return the 409 answer naming the state
	 */
	static OperatorAnswer conflict(String verb, String kind, String name, Enum<?> state, String needs) {
		return conflict("Cannot " + verb + " " + kind + " '" + name + "': it is " + state + " (needs " + needs + ")",
				state.name());
	}

	static OperatorAnswer conflict(String detail, String state) {
		return new OperatorAnswer(Status.CONFLICT, new OperatorError(Status.CONFLICT.title(), detail, state));
	}

	/**
	 * A verb that ran.
	 * @param target the kind of object acted on
	 * @param name its name or id
	 * @param verb the verb
	 * @param result what the verb did
	 * @param start when the request began, from {@link System#nanoTime()}
	 * @param reason the cleaned reason, or {@code null}
	 * @return the answer carrying the {@link ActionResult}
	 */
	static OperatorAnswer done(String target, String name, String verb, VerbResult result, long start,
			@Nullable String reason) {
		long elapsed = (System.nanoTime() - start) / 1_000_000;
		return ok(new ActionResult(target, name, verb, result.previousState(), result.newState(),
				result.changed() ? ActionResult.CHANGED : ActionResult.NO_CHANGE, result.ioCancelled(),
				result.affected(), elapsed, reason));
	}

	/**
	 * Whether the request succeeded.
	 * @return {@code true} for {@link Status#OK}
	 */
	public boolean isOk() {
		return this.status == Status.OK;
	}

	/**
	 * The HTTP status the web edges answer with.
	 * @return the status code
	 */
	public int httpStatus() {
		return this.status.httpStatus();
	}

	/**
	 * How a request went, with the HTTP status the web edges answer.
	 */
	public enum Status {

		/** Done, or nothing needed doing. */
		OK(200),

		/** Malformed input: unknown action or mode, bad id shape, bad limit. */
		BAD_REQUEST(400),

		/** No authenticated user. */
		UNAUTHORIZED(401),

		/** The user lacks the operator role. */
		FORBIDDEN(403),

		/** No such proxy, host, call, channel or operation. */
		NOT_FOUND(404),

		/** The verb does not apply to that collection. */
		METHOD_NOT_ALLOWED(405),

		/** The verb is not valid in the target's current state. */
		CONFLICT(409);

		private final int httpStatus;

		Status(int httpStatus) {
			this.httpStatus = httpStatus;
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
			return switch (this) {
				case OK -> "OK";
				case BAD_REQUEST -> "Bad Request";
				case UNAUTHORIZED -> "Unauthorized";
				case FORBIDDEN -> "Forbidden";
				case NOT_FOUND -> "Not Found";
				case METHOD_NOT_ALLOWED -> "Method Not Allowed";
				case CONFLICT -> "Conflict";
			};
		}

	}

}
