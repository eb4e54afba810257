package io.github.cancellablesoap.operator;

import java.util.Locale;
import java.util.StringJoiner;

import io.github.cancellablesoap.core.Ids;
import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.jspecify.annotations.Nullable;

/**
 * The cleaning of what an operator sends: reasons and words made safe for responses, logs
 * and audit, verbs and collections parsed into their enums, names shown back only when
 * they follow {@link Names#isName the name rule}.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
final class OperatorInput {

	/** The longest reason kept; longer ones are cut. */
	static final int MAX_REASON_LENGTH = 200;

	/** The longest verb or collection kept in an answer or an audit record. */
	static final int MAX_WORD_LENGTH = 40;

	/** The longest target id kept in an audit record. */
	static final int MAX_ID_LENGTH = 100;

	private static final Ids CALL_IDS = new Ids("c");

	private static final Ids CHANNEL_IDS = new Ids("ch");

	private static final Ids OPERATION_IDS = new Ids("o");

	private OperatorInput() {
	}

	/**
	 * Check the shape of a call id.
	 * @param candidate the id as sent
	 * @return the id
	 * @throws OperatorRequestException (400) when it cannot be a call id
	 */
	static String callId(String candidate) {
		return id(CALL_IDS, "call", "c-", candidate);
	}

	/**
	 * Check the shape of a channel id.
	 * @param candidate the id as sent
	 * @return the id
	 * @throws OperatorRequestException (400) when it cannot be a channel id
	 */
	static String channelId(String candidate) {
		return id(CHANNEL_IDS, "channel", "ch-", candidate);
	}

	/**
	 * Check the shape of an operation id.
	 * @param candidate the id as sent
	 * @return the id
	 * @throws OperatorRequestException (400) when it cannot be an operation id
	 */
	static String operationId(String candidate) {
		return id(OPERATION_IDS, "operation", "o-", candidate);
	}

	/**
	 * Check the shape of a caller's call id, as a host keeps it from the
	 * {@code Soap-Call-Id} header: the rule of {@link Names#isPeerCallId}.
	 * @param candidate the id as sent
	 * @return the id
	 * @throws OperatorRequestException (400) when no caller's call id can look like it
	 */
	static String callerCallId(String candidate) {
		if (!Names.isPeerCallId(candidate)) {
			throw new OperatorRequestException(Status.BAD_REQUEST, "Malformed callerCallId; a caller's call id is 1 to "
					+ Names.MAX_PEER_CALL_ID_LENGTH + " letters, digits, '.', '_', ':', '~' or '-', such as c-12");
		}
		return candidate;
	}

	private static String id(Ids ids, String kind, String example, String candidate) {
		if (!ids.isWellFormed(candidate)) {
			throw new OperatorRequestException(Status.BAD_REQUEST,
					"Malformed " + kind + " id; " + kind + " ids look like " + example + "1a2b");
		}
		return candidate;
	}

	/**
	 * The reason an operator gave, cleaned and cut to {@value #MAX_REASON_LENGTH}
	 * characters.
	 * @param reason the reason as sent, or {@code null}
	 * @return the cleaned reason, or {@code null} when nothing is left
	 */
	static @Nullable String reason(@Nullable String reason) {
		return sanitize(reason, MAX_REASON_LENGTH);
	}

	/**
	 * A verb or mode as sent, trimmed and in lower case.
	 * @param word the word, or {@code null}
	 * @return the word, empty when none was sent
	 */
	static String word(@Nullable String word) {
		return (word != null) ? word.trim().toLowerCase(Locale.ROOT) : "";
	}

	/**
	 * Parse a verb into one of the given constants.
	 * @param <E> the verb type
	 * @param constants every verb, in the order the error message lists them
	 * @param requested the verb as sent, or {@code null}
	 * @return the matching constant
	 * @throws OperatorRequestException (400) naming the verbs to use when none matches
	 */
	static <E extends OperatorWord> E action(E[] constants, @Nullable String requested) {
		String word = word(requested);
		E found = find(constants, word);
		if (found == null) {
			String shown = word.isEmpty() ? "Missing action" : "Unknown action '" + clean(word, MAX_WORD_LENGTH) + "'";
			throw new OperatorRequestException(Status.BAD_REQUEST, shown + "; use one of: " + words(constants));
		}
		return found;
	}

	/**
	 * The constant an operator named.
	 * @param <E> the constant type
	 * @param constants the constants
	 * @param word the word as sent, case-sensitive
	 * @return the constant of that word, or {@code null}
	 */
	static <E extends OperatorWord> @Nullable E find(E[] constants, String word) {
		for (E constant : constants) {
			if (constant.word().equals(word)) {
				return constant;
			}
		}
		return null;
	}

	/**
	 * The words of the given constants, for error messages.
	 * @param constants the constants
	 * @return their words, separated by a comma
	 */
	static String words(OperatorWord[] constants) {
		StringJoiner words = new StringJoiner(", ");
		for (OperatorWord constant : constants) {
			words.add(constant.word());
		}
		return words.toString();
	}

	/**
	 * A name or id quoted for a message, or nothing when it does not follow the name rule
	 * (so an answer never echoes arbitrary input).
	 * @param candidate the name or id as sent
	 * @return {@code " 'name'"} or the empty string
	 */
	static String quoted(String candidate) {
		return Names.isName(candidate) ? " '" + candidate + "'" : "";
	}

	/**
	 * Clean untrusted text that must not be {@code null}.
	 * @param text the text
	 * @param maxLength the most characters kept
	 * @return the cleaned text, empty when nothing is left
	 */
	static String clean(@Nullable String text, int maxLength) {
		String clean = sanitize(text, maxLength);
		return (clean != null) ? clean : "";
	}

	/**
	 * Make untrusted text safe for responses, logs and audit: control characters, line
	 * and paragraph separators (U+2028, U+2029), format characters (bidi controls,
	 * zero-width characters) and unpaired surrogates removed, surrounding blanks trimmed,
	 * cut to a length.
	 * @param text the text, or {@code null}
	 * @param maxLength the most characters kept
	 * @return the cleaned text, or {@code null} when nothing is left
	 */
	static @Nullable String sanitize(@Nullable String text, int maxLength) {
		if (text == null) {
			return null;
		}
		StringBuilder clean = new StringBuilder(Math.min(text.length(), maxLength));
		int i = 0;
		while (i < text.length() && clean.length() < maxLength) {
			int codePoint = text.codePointAt(i);
			int length = Character.charCount(codePoint);
			if (isSafe(codePoint) && clean.length() + length <= maxLength) {
				clean.appendCodePoint(codePoint);
			}
			i += length;
		}
		String trimmed = clean.toString().strip();
		return trimmed.isEmpty() ? null : trimmed;
	}

	private static boolean isSafe(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
					Character.SURROGATE ->
				false;
			default -> true;
		};
	}

}
