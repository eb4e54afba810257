package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.jspecify.annotations.Nullable;

/**
 * Inflates a gzip or deflate response body as its bytes arrive, into a buffer that may
 * not grow past {@code max-response-size}: a body that would inflate past it fails there,
 * while it streams, before the rest of it is even received, with an error that names the
 * bound. Gzip members are checked (header, CRC-32 and length) and may follow one another;
 * deflate is read as zlib, or as the raw deflate some servers send under that name.
 * <p>
 * Not thread-safe: fed by one I/O thread at a time, as HttpClient guarantees. Call
 * {@link #end()} when done, to free the native inflater.
 *
 * @author Cancellable SOAP
 */
final class InflatingBody {

	/**
	 * The longest gzip member header accepted (its name and comment are the peer's). HTTP
	 * servers send 10 bytes; a small bound also keeps the rescan of a header that arrives
	 * a byte at a time cheap (each feed scans what gathered so far).
	 */
	static final int MAX_HEADER = 4096;

	private static final int GZIP_MAGIC = 0x8b1f;

	private static final int TRAILER = 8;

	private final boolean gzip;

	private final int maxBytes;

	private final String channelId;

	private final CRC32 crc = new CRC32();

	private @Nullable Inflater inflater;

	private State state = State.HEADER;

	/** Header or trailer bytes gathered so far. */
	private byte[] pending = new byte[32];

	private int pendingLength;

	private byte[] out;

	private int size;

	private int memberStart;

	private enum State {

		HEADER, DATA, TRAILER, DONE

	}

	/**
	 * Start inflating a body.
	 * @param gzip {@code true} for gzip, {@code false} for deflate
	 * @param declaredLength the body's declared (compressed) length, or a negative value
	 * @param maxBytes the most bytes the inflated body may have
	 * @param channelId the channel receiving it, for messages
	 */
	InflatingBody(boolean gzip, long declaredLength, int maxBytes, String channelId) {
		this.gzip = gzip;
		this.maxBytes = maxBytes;
		this.channelId = channelId;
		long guess = (declaredLength > 0) ? declaredLength * 4 : 8192;
		this.out = new byte[(int) Math.min(maxBytes, Math.max(1024, guess))];
	}

	/**
	 * Inflate the next compressed bytes, all of them.
	 * @param src the bytes
	 * @throws IOException when the body breaks the bound or is not what its coding says
	 */
	void feed(ByteBuffer src) throws IOException {
		while (src.hasRemaining()) {
			switch (this.state) {
				case HEADER -> readHeader(src);
				case DATA -> inflate(src);
				case TRAILER -> readTrailer(src);
				default -> afterEnd(src);
			}
		}
	}

	/**
	 * The inflated body, once the compressed one has ended.
	 * @return the buffer; its first {@link #size()} bytes are the body
	 * @throws IOException when the compressed body ended early
	 */
	byte[] finish() throws IOException {
		// an empty body (a 202 to a one-way request, say) is empty whatever its coding
		boolean empty = this.state == State.HEADER && this.pendingLength == 0 && this.inflater == null;
		boolean complete = empty || (this.state == State.DONE)
				|| (this.state == State.HEADER && this.gzip && this.pendingLength == 0 && this.inflater != null);
		if (!complete) {
			throw new IOException("Response on channel " + this.channelId + " ended in the middle of its "
					+ (this.gzip ? "gzip" : "deflate") + " body");
		}
		return this.out;
	}

	int size() {
		return this.size;
	}

	void end() {
		Inflater current = this.inflater;
		if (current != null) {
			current.end();
		}
	}

	private void readHeader(ByteBuffer src) throws IOException {
		if (!this.gzip) {
			gather(src, 2 - this.pendingLength);
			if (this.pendingLength < 2) {
				return;
			}
			// RFC 9110 says zlib: its header names method 8, and its two bytes are a
			// multiple of 31
			int cmf = this.pending[0] & 0xFF;
			boolean zlib = (cmf & 0x0F) == 8 && ((cmf << 8) | (this.pending[1] & 0xFF)) % 31 == 0;
			this.inflater = new Inflater(!zlib);
			this.state = State.DATA;
			this.pendingLength = 0;
			inflate(ByteBuffer.wrap(this.pending, 0, 2));
			return;
		}
		gather(src, MAX_HEADER - this.pendingLength);
		int length;
		try {
			length = gzipHeaderLength();
		}
		catch (IOException ex) {
			if (this.inflater != null) {
				// bytes after a complete member that start no other one are ignored, as
				// the JDK's GZIPInputStream does
				this.state = State.DONE;
				this.pendingLength = 0;
				return;
			}
			throw ex;
		}
		if (length < 0) {
			if (this.pendingLength >= MAX_HEADER) {
				throw malformed("a gzip header longer than " + MAX_HEADER + " bytes");
			}
			return;
		}
		// the header ends within the bytes gathered now: give back those past it
		src.position(src.position() - (this.pendingLength - length));
		this.pendingLength = 0;
		if (this.inflater == null) {
			this.inflater = new Inflater(true);
		}
		else {
			this.inflater.reset();
		}
		this.crc.reset();
		this.memberStart = this.size;
		this.state = State.DATA;
	}

	/** Move up to {@code count} bytes into the pending header or trailer. */
	private void gather(ByteBuffer src, int count) {
		int moved = Math.min(count, src.remaining());
		if (this.pendingLength + moved > this.pending.length) {
			this.pending = Arrays.copyOf(this.pending, Math.max(this.pendingLength + moved, this.pending.length * 2));
		}
		src.get(this.pending, this.pendingLength, moved);
		this.pendingLength += moved;
	}

	/** The length of the gzip header gathered, or -1 while it is incomplete. */
	private int gzipHeaderLength() throws IOException {
		byte[] h = this.pending;
		int n = this.pendingLength;
		if (n < 10) {
			if (n >= 2 && ((h[0] & 0xFF) | (h[1] & 0xFF) << 8) != GZIP_MAGIC) {
				throw malformed("a body that is not in gzip format");
			}
			return -1;
		}
		if (((h[0] & 0xFF) | (h[1] & 0xFF) << 8) != GZIP_MAGIC || h[2] != 8) {
			throw malformed("a body that is not in gzip format");
		}
		int flags = h[3] & 0xFF;
		int at = 10;
		if ((flags & 4) != 0) {
			if (n < at + 2) {
				return -1;
			}
			at += 2 + ((h[at] & 0xFF) | (h[at + 1] & 0xFF) << 8);
		}
		for (int flag : new int[] { 8, 16 }) {
			if ((flags & flag) != 0) {
				while (at < n && h[at] != 0) {
					at++;
				}
				if (at >= n) {
					return -1;
				}
				at++;
			}
		}
		if ((flags & 2) != 0) {
			at += 2;
		}
		return (n >= at) ? at : -1;
	}

	private void inflate(ByteBuffer src) throws IOException {
		Inflater current = this.inflater;
		current.setInput(src);
		try {
			while (!current.finished()) {
				if (this.size == this.out.length) {
					if (this.out.length < this.maxBytes) {
						this.out = Arrays.copyOf(this.out, (int) Math.min(this.maxBytes, 2L * this.out.length));
					}
					else if (current.inflate(new byte[1]) > 0) {
						throw new IOException("Response on channel " + this.channelId
								+ " is larger than max-response-size (" + this.maxBytes
								+ " bytes) once decompressed; it was refused while being inflated");
					}
					else {
						break;
					}
				}
				int produced = current.inflate(this.out, this.size, this.out.length - this.size);
				if (this.gzip && produced > 0) {
					this.crc.update(this.out, this.size, produced);
				}
				this.size += produced;
				if (produced == 0 && current.needsDictionary()) {
					throw malformed("a deflate body that needs a preset dictionary");
				}
				if (produced == 0 && current.needsInput()) {
					break;
				}
			}
		}
		catch (DataFormatException ex) {
			throw malformed("a broken " + (this.gzip ? "gzip" : "deflate") + " body (" + ex.getMessage() + ")");
		}
		if (current.finished()) {
			this.state = this.gzip ? State.TRAILER : State.DONE;
		}
	}

	private void readTrailer(ByteBuffer src) throws IOException {
		gather(src, TRAILER - this.pendingLength);
		if (this.pendingLength < TRAILER) {
			return;
		}
		long crc = readIntLe(0);
		long length = readIntLe(4);
		this.pendingLength = 0;
		if (crc != this.crc.getValue() || length != ((this.size - this.memberStart) & 0xFFFFFFFFL)) {
			throw malformed("a gzip body whose CRC or length does not match its content");
		}
		// another member may follow, as gzip allows
		this.state = State.HEADER;
	}

	private long readIntLe(int at) {
		return (this.pending[at] & 0xFFL) | (this.pending[at + 1] & 0xFFL) << 8 | (this.pending[at + 2] & 0xFFL) << 16
				| (this.pending[at + 3] & 0xFFL) << 24;
	}

	private void afterEnd(ByteBuffer src) {
		// bytes after the end of a deflate stream are ignored, as the JDK's readers do
		src.position(src.limit());
	}

	private IOException malformed(String what) {
		return new IOException("Response on channel " + this.channelId + " has " + what);
	}

}
