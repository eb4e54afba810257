package io.github.cancellablesoap.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GzipBombTests {

	@Test
	void aSmallBombInflatesToExactlyItsDocumentWithAValidTrailer() throws IOException {
		GzipBomb bomb = GzipBomb.of("<a>", 3, (byte) 'x', "</a>");
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		bomb.writeTo(wire);
		assertThat((long) wire.size()).isEqualTo(bomb.compressedLength());
		byte[] inflated;
		// GZIPInputStream checks the trailer's CRC and length at the end.
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
			inflated = in.readAllBytes();
		}
		assertThat((long) inflated.length).isEqualTo(bomb.inflatedLength()).isEqualTo(3 + 3L * 1024 * 1024 + 4);
		String text = new String(inflated, StandardCharsets.ISO_8859_1);
		assertThat(text.startsWith("<a>xxx") && text.endsWith("xxx</a>")).isTrue();
		assertThat(text.chars().filter((c) -> c == 'x').count()).isEqualTo(3L * 1024 * 1024);
		assertThat(bomb.compressedLength()).isLessThan(bomb.inflatedLength() / 100);
	}

}
