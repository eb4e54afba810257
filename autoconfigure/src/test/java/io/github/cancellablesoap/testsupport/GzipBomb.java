package io.github.cancellablesoap.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A valid gzip stream that inflates to a text of any length (a gigabyte, say) while only
 * a few hundred kilobytes are held to write it: the document's start, a run of one byte
 * repeated, and the document's end. It works because a deflate block flushed to a byte
 * boundary means the same thing wherever the last 32 KB of output are that same byte, so
 * the block for one mebibyte of the run is written again and again. The trailer's CRC is
 * combined arithmetically, so the stream is exactly what a hostile peer could send.
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class GzipBomb {

	private static final int BLOCK = 1024 * 1024;

	private final byte[] head;

	private final byte[] repeated;

	private final long repeats;

	private final byte[] tail;

	private final long inflatedLength;

	private GzipBomb(byte[] head, byte[] repeated, long repeats, byte[] tail, long inflatedLength) {
		this.head = head;
		this.repeated = repeated;
		this.repeats = repeats;
		this.tail = tail;
		this.inflatedLength = inflatedLength;
	}

	/**
	 * Build a bomb that inflates to {@code prefix}, then {@code mebibytes} MiB of
	 * {@code fill}, then {@code suffix}.
	 * @param prefix the start of the document
	 * @param mebibytes how many MiB of the fill byte follow it, at least 2
	 * @param fill the byte repeated
	 * @param suffix the end of the document
	 * @return the bomb
	 */
	public static GzipBomb of(String prefix, int mebibytes, byte fill, String suffix) {
		if (mebibytes < 2) {
			throw new IllegalArgumentException("A bomb needs at least 2 MiB of fill");
		}
		byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
		byte[] end = suffix.getBytes(StandardCharsets.UTF_8);
		byte[] block = new byte[BLOCK];
		Arrays.fill(block, fill);
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			head.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
			head.writeBytes(deflate(deflater, start, Deflater.SYNC_FLUSH));
			head.writeBytes(deflate(deflater, block, Deflater.SYNC_FLUSH));
			byte[] repeated = deflate(deflater, block, Deflater.SYNC_FLUSH);
			deflater.setInput(end);
			deflater.finish();
			ByteArrayOutputStream tail = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			while (!deflater.finished()) {
				tail.write(buffer, 0, deflater.deflate(buffer));
			}
			long blockCrc = crc(block);
			long crc = crc(start);
			for (int i = 0; i < mebibytes; i++) {
				crc = combine(crc, blockCrc, BLOCK);
			}
			crc = combine(crc, crc(end), end.length);
			long inflated = start.length + (long) mebibytes * BLOCK + end.length;
			writeIntLe(tail, crc);
			writeIntLe(tail, inflated & 0xFFFFFFFFL);
			return new GzipBomb(head.toByteArray(), repeated, mebibytes - 1L, tail.toByteArray(), inflated);
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * How many bytes the bomb takes on the wire.
	 * @return the compressed length
	 */
	public long compressedLength() {
		return this.head.length + this.repeats * this.repeated.length + this.tail.length;
	}

	/**
	 * How many bytes the bomb inflates to.
	 * @return the inflated length
	 */
	public long inflatedLength() {
		return this.inflatedLength;
	}

	/**
	 * Write the whole gzip stream.
	 * @param out where to
	 * @throws IOException when writing fails
	 */
	public void writeTo(OutputStream out) throws IOException {
		out.write(this.head);
		for (long i = 0; i < this.repeats; i++) {
			out.write(this.repeated);
		}
		out.write(this.tail);
	}

	private static byte[] deflate(Deflater deflater, byte[] input, int flush) {
		deflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		do {
			count = deflater.deflate(buffer, 0, buffer.length, flush);
			out.write(buffer, 0, count);
		}
		while (count == buffer.length || !deflater.needsInput());
		return out.toByteArray();
	}

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

	private static void writeIntLe(ByteArrayOutputStream out, long value) {
		for (int i = 0; i < 4; i++) {
			out.write((int) (value >>> (8 * i)) & 0xFF);
		}
	}

	/**
	 * The CRC-32 of two byte sequences one after the other, from their own CRCs (zlib's
	 * {@code crc32_combine}).
	 */
	private static long combine(long crc1, long crc2, long length2) {
		if (length2 <= 0) {
			return crc1;
		}
		long[] even = new long[32];
		long[] odd = new long[32];
		odd[0] = 0xEDB88320L;
		long row = 1;
		for (int n = 1; n < 32; n++) {
			odd[n] = row;
			row <<= 1;
		}
		square(even, odd);
		square(odd, even);
		long len = length2;
		do {
			square(even, odd);
			if ((len & 1) != 0) {
				crc1 = times(even, crc1);
			}
			len >>= 1;
			if (len == 0) {
				break;
			}
			square(odd, even);
			if ((len & 1) != 0) {
				crc1 = times(odd, crc1);
			}
			len >>= 1;
		}
		while (len != 0);
		return crc1 ^ crc2;
	}

	private static long times(long[] matrix, long vector) {
		long sum = 0;
		int index = 0;
		while (vector != 0) {
			if ((vector & 1) != 0) {
				sum ^= matrix[index];
			}
			vector >>>= 1;
			index++;
		}
		return sum;
	}

	private static void square(long[] square, long[] matrix) {
		for (int n = 0; n < 32; n++) {
			square[n] = times(matrix, matrix[n]);
		}
	}

}
