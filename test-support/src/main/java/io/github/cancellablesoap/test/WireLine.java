package io.github.cancellablesoap.test;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of the control protocol: a leading word (optional) and {@code key=value}
 * fields separated by single spaces, every value percent-encoded (UTF-8, a space as
 * {@code +}), so a line never holds a space, a newline or a control character inside a
 * value. A key may repeat ({@code header=...}).
 * <p>
 * Immutable once parsed; {@link Builder} is not thread-safe.
 */
final class WireLine {

	/** The longest line the parser takes. */
	static final int MAX_LENGTH = 4 * 1024 * 1024;

	private final String word;

	private final Map<String, List<String>> fields;

	private WireLine(String word, Map<String, List<String>> fields) {
		this.word = word;
		this.fields = fields;
	}

	/**
	 * Parse a line.
	 * @param line the line, without its line break
	 * @param allowed the keys allowed on it
	 * @return the parsed line
	 * @throws IllegalArgumentException naming what is wrong
	 */
	static WireLine parse(String line, Set<String> allowed) {
		if (line.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("Line longer than " + MAX_LENGTH + " characters");
		}
		String word = null;
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (String token : line.trim().split(" +")) {
			if (token.isEmpty()) {
				continue;
			}
			int equals = token.indexOf('=');
			if (equals < 0) {
				if (word != null || !fields.isEmpty()) {
					throw new IllegalArgumentException("'" + token + "' is not a key=value field");
				}
				word = token;
				continue;
			}
			String key = token.substring(0, equals);
			if (!allowed.contains(key)) {
				throw new IllegalArgumentException("Unknown field '" + key + "' (known: " + allowed + ")");
			}
			String value;
			try {
				value = URLDecoder.decode(token.substring(equals + 1), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Field '" + key + "' is not percent-encoded: " + ex.getMessage(),
						ex);
			}
			fields.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
		}
		return new WireLine(word, fields);
	}

	static Builder builder(String word) {
		return new Builder(word);
	}

	String word() {
		return this.word;
	}

	String get(String key) {
		List<String> values = this.fields.get(key);
		if (values == null) {
			return null;
		}
		if (values.size() > 1) {
			throw new IllegalArgumentException("Field '" + key + "' given " + values.size() + " times");
		}
		return values.get(0);
	}

	String require(String key) {
		String value = get(key);
		if (value == null) {
			throw new IllegalArgumentException("Missing field '" + key + "'");
		}
		return value;
	}

	List<String> all(String key) {
		return this.fields.getOrDefault(key, List.of());
	}

	int getInt(String key, int defaultValue) {
		String value = get(key);
		if (value == null) {
			return defaultValue;
		}
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Field '" + key + "' is not a number: " + value, ex);
		}
	}

	/**
	 * Builds a line. Not thread-safe.
	 */
	static final class Builder {

		private final StringBuilder line = new StringBuilder();

		private Builder(String word) {
			if (word != null) {
				this.line.append(word);
			}
		}

		Builder add(String key, Object value) {
			if (value != null) {
				if (this.line.length() > 0) {
					this.line.append(' ');
				}
				this.line.append(key)
					.append('=')
					.append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
			}
			return this;
		}

		@Override
		public String toString() {
			return this.line.toString();
		}

	}

}
