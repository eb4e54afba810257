package io.github.cancellablesoap.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Follows the element nesting of an XML document as its bytes stream in, and refuses it
 * as soon as it nests deeper than a bound or declares a DTD (SOAP forbids DTDs), before
 * any parser has seen it. It exists because the parsers behind SAAJ build the whole tree
 * and walk it recursively: a hostile peer's 100,000 nested elements would burn CPU that
 * no cancellation can stop, or overflow the stack.
 * <p>
 * The guard reads the structure only (tags, comments, CDATA sections, processing
 * instructions, quoted attribute values) and leaves well-formedness to the parser. It
 * works on any encoding in which {@code <}, {@code >}, {@code /}, {@code !}, {@code ?},
 * {@code -}, {@code [}, {@code ]} and quotes are single bytes (UTF-8, US-ASCII, the
 * ISO-8859 family) and on UTF-16 (recognised by its byte order mark or its first
 * {@code <}). A document it cannot follow (an end tag with nothing open, a broken
 * {@code <!} construct) is refused too: no parser would accept it either.
 * <p>
 * Longer than most classes here because it is one byte-level state machine (markup,
 * comments, CDATA, processing instructions, quoted values, the UTF-16 decoding step):
 * split across classes, its states would have to be shared between them.
 * <p>
 * Not thread-safe: one guard follows one document, fed by one thread at a time.
 *
 * @author Cancellable SOAP
 */
public final class XmlStructureGuard {

	/** The default bound on element nesting, far above what SOAP messages use. */
	public static final int DEFAULT_MAX_DEPTH = 256;

	private static final int TEXT = 0;

	private static final int OPEN_BRACKET = 1;

	private static final int START_TAG = 2;

	private static final int END_TAG = 3;

	private static final int BANG = 4;

	private static final int COMMENT_OPENING = 5;

	private static final int COMMENT = 6;

	private static final int CDATA_OPENING = 7;

	private static final int CDATA = 8;

	private static final int INSTRUCTION = 9;

	private static final String CDATA_KEYWORD = "CDATA[";

	private static final int UNKNOWN = 0;

	private static final int SINGLE_BYTE = 1;

	private static final int UTF16_BE = 2;

	private static final int UTF16_LE = 3;

	private final int maxDepth;

	private int encoding = UNKNOWN;

	private int firstByte = -1;

	private int pendingByte = -1;

	private int state = TEXT;

	private int depth;

	private int quote;

	private int previous;

	private int beforePrevious;

	private int matched;

	/**
	 * Create a guard for one document.
	 * @param maxDepth the deepest element nesting allowed (the document element is at
	 * depth 1); at least 1
	 */
	public XmlStructureGuard(int maxDepth) {
		if (maxDepth < 1) {
			throw new IllegalArgumentException("The maximum XML depth must be at least 1, not " + maxDepth);
		}
		this.maxDepth = maxDepth;
	}

	/**
	 * Wrap a stream so that every byte read through it passes the guard; a read that
	 * crosses a bound throws {@link XmlStructureException}.
	 * @param input the document's bytes
	 * @param maxDepth the deepest element nesting allowed
	 * @return the guarded stream
	 */
	public static InputStream guard(InputStream input, int maxDepth) {
		return new GuardedInputStream(input, new XmlStructureGuard(maxDepth));
	}

	/**
	 * The current element nesting.
	 * @return how many elements are open
	 */
	public int depth() {
		return this.depth;
	}

	/**
	 * The bound this guard enforces.
	 * @return the deepest nesting allowed
	 */
	public int maxDepth() {
		return this.maxDepth;
	}

	/**
	 * Follow the next bytes of the document.
	 * @param bytes a buffer
	 * @param offset where the new bytes start
	 * @param length how many there are
	 * @throws XmlStructureException when the document nests too deep, declares a DTD or
	 * cannot be followed
	 */
	public void feed(byte[] bytes, int offset, int length) throws XmlStructureException {
		int end = offset + length;
		int index = offset;
		if (this.encoding == UNKNOWN) {
			index = detectEncoding(bytes, index, end);
		}
		if (this.encoding == SINGLE_BYTE) {
			for (; index < end; index++) {
				accept(bytes[index] & 0xFF);
			}
			return;
		}
		for (; index < end; index++) {
			int current = bytes[index] & 0xFF;
			if (this.pendingByte < 0) {
				this.pendingByte = current;
				continue;
			}
			int unit = (this.encoding == UTF16_BE) ? (this.pendingByte << 8) | current
					: (current << 8) | this.pendingByte;
			this.pendingByte = -1;
			accept(unit);
		}
	}

	private int detectEncoding(byte[] bytes, int index, int end) throws XmlStructureException {
		if (index >= end) {
			return index;
		}
		if (this.firstByte < 0) {
			this.firstByte = bytes[index] & 0xFF;
			if (this.firstByte != 0xFE && this.firstByte != 0xFF && this.firstByte != 0x00 && this.firstByte != '<') {
				this.encoding = SINGLE_BYTE;
				return index;
			}
			index++;
			if (index >= end) {
				return index;
			}
		}
		int second = bytes[index] & 0xFF;
		if ((this.firstByte == 0xFE && second == 0xFF) || (this.firstByte == 0x00 && second == '<')) {
			this.encoding = UTF16_BE;
		}
		else if ((this.firstByte == 0xFF && second == 0xFE) || (this.firstByte == '<' && second == 0x00)) {
			this.encoding = UTF16_LE;
		}
		else {
			this.encoding = SINGLE_BYTE;
		}
		if (this.encoding == SINGLE_BYTE) {
			accept(this.firstByte);
			return index;
		}
		if (this.firstByte == 0x00 || this.firstByte == '<') {
			accept('<');
		}
		return index + 1;
	}

	private void accept(int c) throws XmlStructureException {
		switch (this.state) {
			case TEXT -> {
				if (c == '<') {
					this.state = OPEN_BRACKET;
				}
			}
			case OPEN_BRACKET -> openBracket(c);
			case START_TAG -> startTag(c);
			case END_TAG -> {
				if (c == '>') {
					this.state = TEXT;
				}
			}
			case BANG -> bang(c);
			case COMMENT_OPENING -> {
				if (c != '-') {
					throw broken("a '<!-' that does not open a comment");
				}
				this.state = COMMENT;
				this.previous = 0;
				this.beforePrevious = 0;
			}
			case COMMENT -> closeOn(c, '-', '-');
			case CDATA_OPENING -> {
				if (c != CDATA_KEYWORD.charAt(this.matched)) {
					throw broken("a '<![' that does not open a CDATA section");
				}
				if (++this.matched == CDATA_KEYWORD.length()) {
					this.state = CDATA;
					this.previous = 0;
					this.beforePrevious = 0;
				}
			}
			case CDATA -> closeOn(c, ']', ']');
			case INSTRUCTION -> {
				if (c == '>' && this.previous == '?') {
					this.state = TEXT;
				}
				this.previous = c;
			}
			default -> throw new IllegalStateException("Unknown state " + this.state);
		}
	}

	private void openBracket(int c) throws XmlStructureException {
		switch (c) {
			case '/' -> {
				if (this.depth == 0) {
					throw broken("an end tag with no element open");
				}
				this.depth--;
				this.state = END_TAG;
			}
			case '!' -> this.state = BANG;
			case '?' -> {
				this.state = INSTRUCTION;
				this.previous = 0;
			}
			default -> {
				if (++this.depth > this.maxDepth) {
					throw new XmlStructureException(
							"The XML document nests elements deeper than the limit of " + this.maxDepth, true);
				}
				this.state = START_TAG;
				this.quote = 0;
				this.previous = c;
			}
		}
	}

	private void startTag(int c) {
		if (this.quote != 0) {
			if (c == this.quote) {
				this.quote = 0;
			}
			this.previous = c;
			return;
		}
		if (c == '"' || c == '\'') {
			this.quote = c;
		}
		else if (c == '>') {
			if (this.previous == '/') {
				this.depth--;
			}
			this.state = TEXT;
		}
		this.previous = c;
	}

	private void bang(int c) throws XmlStructureException {
		if (c == '-') {
			this.state = COMMENT_OPENING;
		}
		else if (c == '[') {
			this.state = CDATA_OPENING;
			this.matched = 0;
		}
		else {
			throw new XmlStructureException("The XML document declares a DTD, which SOAP messages must not", false);
		}
	}

	private void closeOn(int c, int first, int second) {
		if (c == '>' && this.previous == second && this.beforePrevious == first) {
			this.state = TEXT;
		}
		this.beforePrevious = this.previous;
		this.previous = c;
	}

	private static XmlStructureException broken(String what) {
		return new XmlStructureException("The XML document is malformed: " + what, false);
	}

	/**
	 * An input stream whose bytes pass a guard as they are read.
	 */
	private static final class GuardedInputStream extends FilterInputStream {

		private final XmlStructureGuard guard;

		private final byte[] single = new byte[1];

		GuardedInputStream(InputStream input, XmlStructureGuard guard) {
			super(input);
			this.guard = guard;
		}

		@Override
		public int read() throws IOException {
			int read = this.in.read();
			if (read >= 0) {
				this.single[0] = (byte) read;
				this.guard.feed(this.single, 0, 1);
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = this.in.read(buffer, offset, length);
			if (read > 0) {
				this.guard.feed(buffer, offset, read);
			}
			return read;
		}

		@Override
		public long skip(long count) throws IOException {
			byte[] scratch = new byte[(int) Math.min(count, 8192)];
			long skipped = 0;
			while (skipped < count) {
				int read = read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
				if (read < 0) {
					break;
				}
				skipped += read;
			}
			return skipped;
		}

		@Override
		public boolean markSupported() {
			return false;
		}

		@Override
		public void mark(int limit) {
		}

		@Override
		public void reset() throws IOException {
			throw new IOException("A guarded XML stream cannot be reset: its bytes were already followed");
		}

	}

}
