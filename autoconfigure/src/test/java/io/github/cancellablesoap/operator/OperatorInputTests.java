package io.github.cancellablesoap.operator;

import java.util.List;
import java.util.stream.Stream;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What operators send is parsed at the edge: verbs, modes and collections into their
 * enums, with answers that name what to use instead; names are echoed only when they
 * follow the name rule.
 */
class OperatorInputTests {

	@Test
	void verbsAreParsedWhateverTheirCaseAndSurroundingBlanks() {
		assertThat(ProxyAction.from(" Abandon-All ")).isEqualTo(ProxyAction.ABANDON_ALL);
		assertThat(HostAction.from("abort-listener")).isEqualTo(HostAction.ABORT_LISTENER);
		assertThat(HostAction.from("RESET-LISTENER")).isEqualTo(HostAction.RESET_LISTENER);
		assertThat(ChannelAction.from("abort")).isEqualTo(ChannelAction.ABORT);
		assertThat(CallRemoval.from(null)).isEqualTo(CallRemoval.ABANDON);
		assertThat(CallRemoval.from(" ABORT")).isEqualTo(CallRemoval.ABORT);
		assertThat(ProxyAction.ABANDON_ALL.word()).isEqualTo("abandon-all");
	}

	@Test
	void collectionsAndIdsOfTheRightShapeAreTakenAsSent() {
		assertThat(OperatorCollection.from("operations")).isEqualTo(OperatorCollection.OPERATIONS);
		assertThat(OperatorCollection.find("Proxies")).isNull();
		assertThat(OperatorInput.callId("c-1a")).isEqualTo("c-1a");
		assertThat(OperatorInput.channelId("ch-1a")).isEqualTo("ch-1a");
		assertThat(OperatorInput.operationId("o-1a")).isEqualTo("o-1a");
	}

	static Stream<Arguments> refusals() {
		String proxyVerbs = "; use one of: abort, close, open, reset, abandon-all";
		String collections = "; use proxies, calls, channels, hosts or operations";
		return Stream.of(
				refusal(() -> ProxyAction.from("explode"), Status.BAD_REQUEST, "Unknown action 'explode'" + proxyVerbs),
				refusal(() -> HostAction.from(null), Status.BAD_REQUEST,
						"Missing action; use one of: abort, close, open, reset, abort-listener, reset-listener"),
				refusal(() -> ChannelAction.from("close"), Status.BAD_REQUEST,
						"Unknown action 'close'; use one of: abort"),
				refusal(() -> CallRemoval.from("shred\n"), Status.BAD_REQUEST,
						"Unknown mode 'shred'; use abandon or abort"),
				refusal(() -> ProxyAction.from("x\u202E".repeat(100)), Status.BAD_REQUEST,
						"Unknown action '" + "x".repeat(40) + "'" + proxyVerbs),
				refusal(() -> OperatorCollection.from("queues"), Status.NOT_FOUND,
						"No collection 'queues'" + collections),
				refusal(() -> OperatorCollection.from("<script>"), Status.NOT_FOUND, "No collection" + collections),
				refusal(() -> OperatorInput.callId("o-1a"), Status.BAD_REQUEST,
						"Malformed call id; call ids look like c-1a2b"),
				refusal(() -> OperatorInput.channelId("c-1a"), Status.BAD_REQUEST,
						"Malformed channel id; channel ids look like ch-1a2b"),
				refusal(() -> OperatorInput.operationId(""), Status.BAD_REQUEST,
						"Malformed operation id; operation ids look like o-1a2b"));
	}

	@ParameterizedTest(name = "{2}")
	@MethodSource("refusals")
	void inputThatParsesToNothingIsRefusedWithAnAnswerSayingWhatToUse(Runnable parse, Status status, String detail) {
		assertThatExceptionOfType(OperatorRequestException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.answer().status()).isEqualTo(status);
			assertThat(((OperatorError) ex.answer().body()).detail()).isEqualTo(detail);
			assertThat(ex.getStackTrace()).isEmpty();
		});
	}

	@Test
	void targetNamesFollowTheOneNameRule() {
		OperatorService service = new OperatorService(List::of, List::of, OperatorAuthorizer.PERMIT_ALL, List.of());
		String longest = "a".repeat(63);

		assertThat(error(service.read("proxies", longest, null)).detail())
			.isEqualTo("No proxy '" + longest + "' is known or in flight");
		assertThat(error(service.read("hosts", longest + "a", null)).detail())
			.isEqualTo("No host is known or in flight");
		assertThat(error(service.act("proxies", "-leading-dash", "abort", null)).detail())
			.isEqualTo("No proxy is known or in flight");
	}

	private static OperatorError error(OperatorAnswer answer) {
		assertThat(answer.status()).isEqualTo(Status.NOT_FOUND);
		return (OperatorError) answer.body();
	}

	private static Arguments refusal(Runnable parse, Status status, String detail) {
		return Arguments.of(parse, status, detail);
	}

}
