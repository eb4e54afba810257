package io.github.cancellablesoap.autoconfigure.server;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;

import static io.github.cancellablesoap.autoconfigure.server.SoapPost.Version.SOAP_12;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SOAP 1.2 host answers a header block that must be understood and is not with a
 * MustUnderstand fault that names it in a NotUnderstood header block, and leaves a block
 * for another role alone.
 */
@SpringBootTest(classes = MustUnderstandSoap12IntegrationTests.Soap12Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cancellable-soap.hosts.main.path=/soap")
class MustUnderstandSoap12IntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aHeaderBlockThatIsNotUnderstoodIsNamedInTheFault() throws Exception {
		HttpResponse<String> response = SOAP_12.postEcho(this.port, SOAP_12.unknown(null));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("MustUnderstand")
			.contains("NotUnderstood")
			.containsPattern("qname=\"[^\"]*:Unknown\"")
			.doesNotContain("EchoResponse");
	}

	@Test
	void aHeaderBlockForAnotherRoleIsLeftAlone() throws Exception {
		assertThat(SoapPost.answered(SOAP_12.postEcho(this.port, SOAP_12.unknown("urn:some-other-node"))))
			.contains("EchoResponse");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class Soap12Application {

		@Bean
		SaajSoapMessageFactory messageFactory() {
			SaajSoapMessageFactory factory = new SaajSoapMessageFactory();
			factory.setSoapVersion(SoapVersion.SOAP_12);
			return factory;
		}

	}

}
