package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * Why an operator request was refused, in words fit for a response body: never a stack
 * trace nor an internal class name.
 * <p>
 * Immutable, so thread-safe.
 *
 * @param title the HTTP reason phrase
 * @param detail what was wrong and, where it helps, what to do
 * @param state the target's current state when the verb did not fit it, else {@code null}
 * @author Cancellable SOAP
 */
public record OperatorError(String title, String detail, @Nullable String state) {

}
