package io.github.cancellablesoap.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The XML structure guard follows nesting exactly as a parser sees it, whatever the
 * chunking and encoding, refuses a document one element past its bound, and refuses DTDs
 * and structures no parser would accept.
 */
class XmlStructureGuardTests {

	private static final String ENVELOPE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			+ "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			+ "<!-- a comment with <tags> and a > sign --><soapenv:Header/><soapenv:Body>"
			+ "<q:quote xmlns:q='urn:q' note=\"a > b / c\" other='<x/>'><q:symbol>ACME</q:symbol>"
			+ "<q:raw><![CDATA[<not><an><element>]]]]></q:raw><?pi some ?> data?><q:empty/></q:quote>"
			+ "</soapenv:Body></soapenv:Envelope>";

	@Test
	void aDocumentWithinTheBoundPassesAndEndsAtDepthZero() throws IOException {
		XmlStructureGuard guard = new XmlStructureGuard(4);
		byte[] bytes = ENVELOPE.replace("other='<x/>'", "other='x'").getBytes(StandardCharsets.UTF_8);
		guard.feed(bytes, 0, bytes.length);
		assertThat(guard.depth()).isZero();
	}

	@Test
	void theDepthFollowedIsTheDepthTheParserSeesAtEveryPrefix() throws Exception {
		String document = ENVELOPE.replace("other='<x/>'", "other='x'");
		assertThat(maxDepth(document)).isEqualTo(4);
		assertThatNoException().isThrownBy(() -> feedAll(document, new XmlStructureGuard(4)));
		assertThatExceptionOfType(XmlStructureException.class)
			.isThrownBy(() -> feedAll(document, new XmlStructureGuard(3)))
			.satisfies((ex) -> assertThat(ex.isLimitExceeded()).isTrue())
			.withMessageContaining("deeper than the limit of 3");
	}

	@Test
	void aDocumentOneElementPastTheBoundIsRefusedAtThatElement() throws IOException {
		XmlStructureGuard guard = new XmlStructureGuard(10);
		byte[] open = "<a>".getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < 10; i++) {
			guard.feed(open, 0, open.length);
		}
		assertThat(guard.depth()).isEqualTo(10);
		assertThatExceptionOfType(XmlStructureException.class).isThrownBy(() -> guard.feed(open, 0, open.length));
	}

	@Test
	void aHundredThousandNestedElementsAreRefusedAfterReadingOnlyTheFirstFew() throws IOException {
		int[] served = new int[1];
		InputStream endless = new InputStream() {

			@Override
			public int read() {
				served[0]++;
				return "<a>".charAt(served[0] % 3);
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				int count = Math.min(length, 64);
				for (int i = 0; i < count; i++) {
					buffer[offset + i] = (byte) "<a>".charAt(served[0]++ % 3);
				}
				return count;
			}

		};
		InputStream guarded = XmlStructureGuard.guard(endless, 256);
		assertThatExceptionOfType(XmlStructureException.class).isThrownBy(() -> guarded.readAllBytes());
		assertThat(served[0]).isLessThan(257 * 3 + 64);
	}

	@Test
	void selfClosingElementsCloseAndCommentsCdataAndInstructionsAddNoDepth() throws IOException {
		XmlStructureGuard guard = new XmlStructureGuard(2);
		feedAll("<a><b/><c x='/'/><b/><!-- <d><d><d> --><![CDATA[<e><e>]]><?f <g> ?></a>", guard);
		assertThat(guard.depth()).isZero();
	}

	@Test
	void quotedAttributeValuesDoNotEndTheTag() throws IOException {
		XmlStructureGuard guard = new XmlStructureGuard(2);
		feedAll("<a x=\"/>\" y='>'><b z=\"'\"/></a>", guard);
		assertThat(guard.depth()).isZero();
	}

	@Test
	void aDtdIsRefused() {
		assertThatExceptionOfType(XmlStructureException.class)
			.isThrownBy(
					() -> feedAll("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x 'y'>]><a/>", new XmlStructureGuard(8)))
			.satisfies((ex) -> assertThat(ex.isLimitExceeded()).isFalse())
			.withMessageContaining("DTD");
	}

	@Test
	void structuresNoParserAcceptsAreRefused() {
		assertThatExceptionOfType(XmlStructureException.class)
			.isThrownBy(() -> feedAll("</a>", new XmlStructureGuard(8)))
			.withMessageContaining("end tag with no element open");
		assertThatExceptionOfType(XmlStructureException.class)
			.isThrownBy(() -> feedAll("<a><!-x></a>", new XmlStructureGuard(8)));
		assertThatExceptionOfType(XmlStructureException.class)
			.isThrownBy(() -> feedAll("<a><![CDAT<b>]]></a>", new XmlStructureGuard(8)));
	}

	@Test
	void anyChunkingGivesTheSameAnswer() throws IOException {
		Random random = new Random(42);
		byte[] bytes = ENVELOPE.getBytes(StandardCharsets.UTF_8);
		for (int round = 0; round < 200; round++) {
			XmlStructureGuard guard = new XmlStructureGuard(4);
			int index = 0;
			while (index < bytes.length) {
				int length = Math.min(bytes.length - index, 1 + random.nextInt(7));
				guard.feed(bytes, index, length);
				index += length;
			}
			assertThat(guard.depth()).as("round %d", round).isZero();
			XmlStructureGuard shallow = new XmlStructureGuard(3);
			assertThatExceptionOfType(XmlStructureException.class).isThrownBy(() -> feedChunked(bytes, shallow, 1));
		}
	}

	@Test
	void everyChunkingOfQuotesCommentsCdataAndInstructionsFollowsTheDepthsOfByteByByte() throws Exception {
		String[] documents = { "<a x=\"/>\" y='>'><b z=\"'\"/><c x='/'/><d/><e q=\"\"/></a>",
				"<a><!-- <b> - > --><![CDATA[<c> ]] ]>]]><?p <q>?? ?><e\n  f = \"1\"\t/><g></g ></a>",
				"<?xml version='1.0'?>\n<a>text<b>more > text</b><c\n/></a>\n",
				ENVELOPE.replace("other='<x/>'", "other='x'") };
		Random random = new Random(7);
		for (String document : documents) {
			byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
			int[] expected = new int[bytes.length];
			XmlStructureGuard reference = new XmlStructureGuard(16);
			for (int index = 0; index < bytes.length; index++) {
				reference.feed(bytes, index, 1);
				expected[index] = reference.depth();
			}
			assertThat(expected[bytes.length - 1]).as(document).isZero();
			assertThat(Arrays.stream(expected).max().getAsInt()).as(document).isEqualTo(maxDepth(document));
			for (int round = 0; round < 300; round++) {
				XmlStructureGuard guard = new XmlStructureGuard(16);
				int index = 0;
				while (index < bytes.length) {
					int length = Math.min(bytes.length - index, 1 + random.nextInt(12));
					guard.feed(bytes, index, length);
					index += length;
					assertThat(guard.depth()).as("%s, round %d, after %d bytes", document, round, index)
						.isEqualTo(expected[index - 1]);
				}
			}
		}
	}

	@Test
	void utf16DocumentsAreFollowedWithAndWithoutAByteOrderMark() throws IOException {
		String document = "<a><b>\u3c3c\u3e3e\u2f3c</b><c/></a>";
		for (Charset charset : new Charset[] { StandardCharsets.UTF_16, StandardCharsets.UTF_16BE,
				StandardCharsets.UTF_16LE }) {
			byte[] bytes = document.getBytes(charset);
			XmlStructureGuard guard = new XmlStructureGuard(2);
			feedChunked(bytes, guard, 1);
			assertThat(guard.depth()).as(charset.name()).isZero();
			assertThatExceptionOfType(XmlStructureException.class).as(charset.name())
				.isThrownBy(() -> feedChunked(bytes, new XmlStructureGuard(1), 3));
		}
	}

	@Test
	void aGuardedStreamCannotBeReset() throws IOException {
		InputStream guarded = XmlStructureGuard.guard(new ByteArrayInputStream("<a/>".getBytes()), 2);
		assertThat(guarded.read()).isEqualTo('<');
		assertThat(guarded.markSupported()).isFalse();
		assertThatExceptionOfType(IOException.class).isThrownBy(guarded::reset);
	}

	@Test
	void aBoundBelowOneIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new XmlStructureGuard(0));
	}

	private static void feedAll(String document, XmlStructureGuard guard) throws IOException {
		byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
		guard.feed(bytes, 0, bytes.length);
	}

	private static void feedChunked(byte[] bytes, XmlStructureGuard guard, int chunk) throws IOException {
		for (int index = 0; index < bytes.length; index += chunk) {
			guard.feed(bytes, index, Math.min(chunk, bytes.length - index));
		}
	}

	private static int maxDepth(String document) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		Document parsed = factory.newDocumentBuilder().parse(new InputSource(new StringReader(document)));
		return depth(parsed.getDocumentElement());
	}

	private static int depth(Element element) {
		int deepest = 0;
		for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element nested) {
				deepest = Math.max(deepest, depth(nested));
			}
		}
		return deepest + 1;
	}

}
