package io.github.cancellablesoap.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import io.github.cancellablesoap.testsupport.GzipBomb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The streaming inflater of response bodies: gzip and deflate (zlib and raw) in chunks of
 * any size, gzip members one after another, broken and truncated bodies refused, and a
 * bomb stopped at the decoded-size bound after a small part of it arrived.
 */
class InflatingBodyTests {

	private static final byte[] TEXT = ("<Envelope>" + "hello, compressed world; ".repeat(4000) + "</Envelope>")
		.getBytes(StandardCharsets.UTF_8);

	@Test
	void gzipInAnyChunkingInflatesToTheOriginal() throws IOException {
		byte[] gzip = gzip(TEXT);
		for (int chunk : new int[] { 1, 2, 7, 10, 11, 512, gzip.length }) {
			assertThat(inflate(true, gzip, chunk, Integer.MAX_VALUE - 8)).as("chunks of %d", chunk).isEqualTo(TEXT);
		}
	}

	@Test
	void gzipHeadersWithNameCommentExtraFieldAndHeaderCrcAreSkipped() throws IOException {
		byte[] plain = gzip(TEXT);
		ByteArrayOutputStream withFields = new ByteArrayOutputStream();
		withFields.write(new byte[] { 0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, (byte) 255 });
		withFields.write(new byte[] { 3, 0, 'a', 'b', 'c' });
		withFields.write("name.xml\0".getBytes(StandardCharsets.ISO_8859_1));
		withFields.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
		withFields.write(new byte[] { 0x12, 0x34 });
		withFields.write(plain, 10, plain.length - 10);
		for (int chunk : new int[] { 1, 3, 4096 }) {
			assertThat(inflate(true, withFields.toByteArray(), chunk, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
		}
	}

	@Test
	void gzipMembersOneAfterAnotherAreOneBody() throws IOException {
		byte[] first = gzip(Arrays.copyOfRange(TEXT, 0, 1000));
		byte[] second = gzip(Arrays.copyOfRange(TEXT, 1000, TEXT.length));
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		assertThat(inflate(true, both, 5, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
	}

	@Test
	void bytesAfterTheLastGzipMemberThatStartNoOtherAreIgnored() throws IOException {
		byte[] gzip = gzip(TEXT);
		byte[] padded = Arrays.copyOf(gzip, gzip.length + 16);
		assertThat(inflate(true, padded, 100, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
	}

	@Test
	void deflateIsReadAsZlibOrAsRawDeflate() throws IOException {
		assertThat(inflate(false, deflate(TEXT, false), 3, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
		assertThat(inflate(false, deflate(TEXT, true), 3, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
		assertThat(inflate(false, deflate(TEXT, true), 1, Integer.MAX_VALUE - 8)).isEqualTo(TEXT);
	}

	@Test
	void aBodyThatIsNotWhatItsCodingSaysIsRefused() {
		byte[] plain = TEXT;
		assertThatIOException().isThrownBy(() -> inflate(true, plain, 100, 1 << 20))
			.withMessageContaining("not in gzip format");
		assertThatIOException().isThrownBy(() -> inflate(false, plain, 100, 1 << 20))
			.withMessageContaining("broken deflate body");
	}

	@Test
	void aTruncatedOrCorruptedGzipBodyIsRefused() throws IOException {
		byte[] gzip = gzip(TEXT);
		assertThatIOException().isThrownBy(() -> inflate(true, Arrays.copyOf(gzip, gzip.length - 3), 64, 1 << 20))
			.withMessageContaining("ended in the middle");
		byte[] badCrc = gzip.clone();
		badCrc[badCrc.length - 8] ^= 1;
		assertThatIOException().isThrownBy(() -> inflate(true, badCrc, 64, 1 << 20))
			.withMessageContaining("CRC or length");
		assertThatIOException().isThrownBy(() -> inflate(true, Arrays.copyOf(gzip, 5), 64, 1 << 20))
			.withMessageContaining("ended in the middle");
		assertThatIOException().isThrownBy(() -> inflate(false, Arrays.copyOf(deflate(TEXT, false), 40), 64, 1 << 20))
			.withMessageContaining("ended in the middle");
	}

	@Test
	void anEmptyBodyIsEmptyWhateverItsCoding() throws IOException {
		assertThat(inflate(true, new byte[0], 64, 1 << 20)).isEmpty();
		assertThat(inflate(false, new byte[0], 64, 1 << 20)).isEmpty();
	}

	@Test
	void aGzipHeaderThatNeverEndsIsRefusedAtItsBound() {
		byte[] endless = new byte[200_000];
		Arrays.fill(endless, (byte) 'a');
		System.arraycopy(new byte[] { 0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 0 }, 0, endless, 0, 10);
		assertThatIOException().isThrownBy(() -> inflate(true, endless, 1000, 1 << 20))
			.withMessageContaining("gzip header longer than");
	}

	@Test
	void aBodyExactlyAtTheBoundPassesAndOneByteMoreIsRefused() throws IOException {
		assertThat(inflate(true, gzip(TEXT), 333, TEXT.length)).isEqualTo(TEXT);
		assertThatIOException().isThrownBy(() -> inflate(true, gzip(TEXT), 333, TEXT.length - 1))
			.withMessageContaining("max-response-size (" + (TEXT.length - 1) + " bytes)");
		assertThatIOException().isThrownBy(() -> inflate(false, deflate(TEXT, false), 333, TEXT.length - 1))
			.withMessageContaining("refused while being inflated");
	}

	@Test
	void aBombIsStoppedAtTheBoundAfterASmallPartOfItArrived() throws IOException {
		GzipBomb bomb = GzipBomb.of("<a>", 1024, (byte) 'a', "</a>");
		ByteArrayOutputStream whole = new ByteArrayOutputStream();
		bomb.writeTo(whole);
		byte[] compressed = whole.toByteArray();
		InflatingBody body = new InflatingBody(true, compressed.length, 1 << 20, "ch-test");
		int fed = 0;
		try {
			while (fed < compressed.length) {
				int chunk = Math.min(8192, compressed.length - fed);
				body.feed(ByteBuffer.wrap(compressed, fed, chunk));
				fed += chunk;
			}
			throw new AssertionError("the bomb was inflated whole");
		}
		catch (IOException ex) {
			assertThat(ex).hasMessageContaining("max-response-size (1048576 bytes)");
		}
		finally {
			body.end();
		}
		assertThat(fed).as("compressed bytes fed before the refusal").isLessThan(compressed.length / 100);
	}

	@Test
	void randomChunkingsOfRandomContentRoundTrip() throws IOException {
		Random random = new Random(42);
		for (int round = 0; round < 50; round++) {
			byte[] content = new byte[random.nextInt(100_000)];
			for (int i = 0; i < content.length; i++) {
				content[i] = (byte) ((random.nextInt(4) == 0) ? random.nextInt(256) : 'x');
			}
			boolean gzip = random.nextBoolean();
			byte[] encoded = gzip ? gzip(content) : deflate(content, random.nextBoolean());
			int chunk = 1 + random.nextInt(5000);
			assertThat(inflate(gzip, encoded, chunk, Integer.MAX_VALUE - 8)).as("round %d", round).isEqualTo(content);
		}
	}

	private static byte[] inflate(boolean gzip, byte[] encoded, int chunk, int maxBytes) throws IOException {
		InflatingBody body = new InflatingBody(gzip, encoded.length, maxBytes, "ch-test");
		try {
			for (int at = 0; at < encoded.length; at += chunk) {
				ByteBuffer buffer = ByteBuffer.allocateDirect(Math.min(chunk, encoded.length - at));
				buffer.put(encoded, at, buffer.capacity()).flip();
				body.feed(buffer);
				assertThat(buffer.hasRemaining()).as("every byte fed is taken").isFalse();
			}
			return Arrays.copyOf(body.finish(), body.size());
		}
		finally {
			body.end();
		}
	}

	private static byte[] gzip(byte[] content) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (OutputStream out = new GZIPOutputStream(bytes)) {
			out.write(content);
		}
		return bytes.toByteArray();
	}

	private static byte[] deflate(byte[] content, boolean raw) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
		try (OutputStream out = new DeflaterOutputStream(bytes, deflater)) {
			out.write(content);
		}
		finally {
			deflater.end();
		}
		return bytes.toByteArray();
	}

}
