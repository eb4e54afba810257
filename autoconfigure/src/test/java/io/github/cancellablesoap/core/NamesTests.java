package io.github.cancellablesoap.core;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The one rule for proxy and host names, host paths and peer call ids: what each accepts,
 * what it refuses, and what a refusal says.
 */
class NamesTests {

	@Test
	void namesAreLettersDigitsDotsUnderscoresAndDashesStartingWithALetterOrDigit() {
		assertThat(List.of("quotes", "Quotes.v2_eu-west", "a".repeat(63))).allMatch(Names::isName);
		assertThat(Arrays.asList("a".repeat(64), "", null, "-quotes", "quo tes", "quotes/x", "quötes"))
			.noneMatch(Names::isName);
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
		assertThat(List.of("/orders", "/soap/orders.v1")).allMatch(Names::isPath);
		assertThat(Arrays.asList("/", "/orders/", "//orders", "/soap//orders", "orders", "/orders/*", null))
			.noneMatch(Names::isPath);
		assertThatIllegalArgumentException().isThrownBy(() -> Names.requirePath("orders", "/orders/*"))
			.withMessageContaining("service host 'orders'")
			.withMessageContaining("'/orders/*'");
	}

	@Test
	void peerCallIdsAreBoundedAndPlain() {
		assertThat(List.of("c-1a", "urn:uuid:1234-abcd", "x".repeat(128))).allMatch(Names::isPeerCallId);
		assertThat(Arrays.asList("x".repeat(129), "", null, "c-1\r\nX: y", "<script>")).noneMatch(Names::isPeerCallId);
	}

}
