package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * One operator write as audited: who, what, on which target, why, and how it went.
 * <p>
 * Immutable, so thread-safe.
 *
 * @param principal the user's name, or {@code anonymous}
 * @param verb the verb, as requested (sanitized)
 * @param target the target, as {@code <kind>:<name or id>} (sanitized)
 * @param reason the sanitized reason, or {@code null}
 * @param answer the answer given
 * @author Cancellable SOAP
 */
public record OperatorAction(String principal, String verb, String target, @Nullable String reason,
		OperatorAnswer answer) {

	/**
	 * The result in one word or phrase: the action outcome ({@code changed},
	 * {@code no change}) or the refusal ({@code Not Found}, {@code Conflict}, ...).
	 * @return the result
	 */
	public String result() {
		if (this.answer.body() instanceof ActionResult result) {
			return result.outcome();
		}
		return this.answer.status().title();
	}

	/**
	 * The action result, when the verb ran.
	 * @return the result, or {@code null} when the request was refused
	 */
	public @Nullable ActionResult actionResult() {
		return (this.answer.body() instanceof ActionResult result) ? result : null;
	}

}
