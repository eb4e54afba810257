package io.github.cancellablesoap.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NamesTests {

	@Test
	void namesAreLettersDigitsDotsUnderscoresAndDashesStartingWithALetterOrDigit() {
		assertThat(Names.isName("quotes")).isTrue();
		assertThat(Names.isName("Quotes.v2_eu-west")).isTrue();
		assertThat(Names.isName("a".repeat(63))).isTrue();
		assertThat(Names.isName("a".repeat(64))).isFalse();
		assertThat(Names.isName("")).isFalse();
		assertThat(Names.isName(null)).isFalse();
		assertThat(Names.isName("-quotes")).isFalse();
		assertThat(Names.isName("quo tes")).isFalse();
		assertThat(Names.isName("quotes/x")).isFalse();
		assertThat(Names.isName("quötes")).isFalse();
	}

	@Test
	void aBadNameIsRefusedWithTheRuleAndAPrintableEcho() {
		assertThatIllegalArgumentException().isThrownBy(() -> Names.requireName("service proxy", "a\nb"))
			.withMessage("A service proxy name must be 1 to 63 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit, not 'a?b'");
		assertThat(Names.requireName("service host", "orders")).isEqualTo("orders");
	}

	@Test
	void pathsAreSlashSeparatedSegmentsWithoutATrailingSlash() {
		assertThat(Names.isPath("/orders")).isTrue();
		assertThat(Names.isPath("/soap/orders.v1")).isTrue();
		assertThat(Names.isPath("/")).isFalse();
		assertThat(Names.isPath("/orders/")).isFalse();
		assertThat(Names.isPath("//orders")).isFalse();
		assertThat(Names.isPath("/soap//orders")).isFalse();
		assertThat(Names.isPath("orders")).isFalse();
		assertThat(Names.isPath("/orders/*")).isFalse();
		assertThat(Names.isPath(null)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Names.requirePath("orders", "/orders/*"))
			.withMessageContaining("service host 'orders'")
			.withMessageContaining("'/orders/*'");
	}

	@Test
	void peerCallIdsAreBoundedAndPlain() {
		assertThat(Names.isPeerCallId("c-1a")).isTrue();
		assertThat(Names.isPeerCallId("urn:uuid:1234-abcd")).isTrue();
		assertThat(Names.isPeerCallId("x".repeat(128))).isTrue();
		assertThat(Names.isPeerCallId("x".repeat(129))).isFalse();
		assertThat(Names.isPeerCallId("")).isFalse();
		assertThat(Names.isPeerCallId(null)).isFalse();
		assertThat(Names.isPeerCallId("c-1\r\nX: y")).isFalse();
		assertThat(Names.isPeerCallId("<script>")).isFalse();
	}

}
