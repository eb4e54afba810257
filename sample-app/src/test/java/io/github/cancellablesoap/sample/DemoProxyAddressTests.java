package io.github.cancellablesoap.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code /demo/proxy} shows the proxy's address without the secrets it may
 * carry in its query.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cancellable-soap.proxies.quotes.address=http://127.0.0.1:1/soap/quotes?apikey=s3cret")
class DemoProxyAddressTests {

	@LocalServerPort
	private int port;

	@Test
	void theProxyAddressIsShownWithoutQueryValues() {
		String body = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/demo/proxy")
			.retrieve()
			.body(String.class);
		assertThat(body).contains("\"address\":\"http://127.0.0.1:1/soap/quotes?apikey=***\"").doesNotContain("s3cret");
	}

}
