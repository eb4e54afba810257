package io.github.cancellablesoap.core;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressesTests {

	@Test
	void userInfoFragmentAndQueryValuesAreNotShown() {
		assertThat(
				Addresses.redact(URI.create("https://alice:s3cret@quotes.internal:8443/ws/q?apikey=k1&v=2&wsdl#frag")))
			.isEqualTo("https://quotes.internal:8443/ws/q?apikey=***&v=***&wsdl");
	}

	@Test
	void aPlainAddressIsShownAsItIs() {
		assertThat(Addresses.redact(URI.create("http://127.0.0.1:8080/ws"))).isEqualTo("http://127.0.0.1:8080/ws");
		assertThat(Addresses.redact(URI.create("http://[::1]/ws"))).isEqualTo("http://[::1]/ws");
	}

	@Test
	void textThatIsNoAddressShowsNothingOfItself() {
		assertThat(Addresses.redact("http://a b@host/")).isEqualTo("(unparsable address)");
		assertThat(Addresses.redact("mailto:alice@example.com")).isEqualTo("mailto:***");
	}

}
