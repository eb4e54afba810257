package io.github.cancellablesoap.core;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;

class OperationNamesTests {

	@Test
	void thePayloadRootNamesTheOperationBeforeTheSoapAction() throws Exception {
		DOMSource payload = new DOMSource(document("<p:GetQuote xmlns:p=\"urn:q\"/>"));
		assertThat(OperationNames.of(payload, "\"urn:q/GetQuoteAction\"")).isEqualTo("GetQuote");
		assertThat(OperationNames.of(new DOMSource(document("<p:GetQuote xmlns:p=\"urn:q\"/>").getDocumentElement()),
				null))
			.isEqualTo("GetQuote");
	}

	@Test
	void theSoapActionWithoutQuotesNamesAnOperationWhosePayloadIsNoDomTree() {
		StringSource payload = new StringSource("<GetQuote/>");
		assertThat(OperationNames.of(payload, "\"urn:q/GetQuote\"")).isEqualTo("urn:q/GetQuote");
		assertThat(OperationNames.of(payload, "urn:q/GetQuote")).isEqualTo("urn:q/GetQuote");
		assertThat(OperationNames.of(null, " \"urn:q/GetQuote\" ")).isEqualTo("urn:q/GetQuote");
	}

	@Test
	void anEmptyOrMissingActionWithoutADomPayloadNamesNothing() {
		assertThat(OperationNames.of(null, null)).isNull();
		assertThat(OperationNames.of(null, "")).isNull();
		assertThat(OperationNames.of(null, "\"\"")).isNull();
		assertThat(OperationNames.of(new StringSource("<x/>"), "  ")).isNull();
	}

	@Test
	void theObservationKeyIsSpringWebServicesOwn() {
		assertThat(OperationNames.OBSERVATION_KEY).isEqualTo("operation.name");
	}

	private static Document document(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		return factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
	}

}
