package io.github.cancellablesoap.operator;

import java.util.Locale;

/**
 * A constant that operators type as a word: the verbs, modes and collections of the
 * operator surface. {@code ABANDON_ALL} is typed {@code abandon-all}.
 * <p>
 * Implemented by enums; thread-safe.
 *
 * @author Cancellable SOAP
 */
interface OperatorWord {

	/**
	 * The constant's name.
	 * @return for example {@code ABANDON_ALL}
	 */
	String name();

	/**
	 * The word operators type.
	 * @return for example {@code abandon-all}
	 */
	default String word() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
