package io.github.cancellablesoap.operator;

import java.util.List;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.junit.jupiter.api.Test;

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
	void anUnknownVerbIsABadRequestNamingTheVerbsToUse() {
		assertRefused(() -> ProxyAction.from("explode"), Status.BAD_REQUEST,
				"Unknown action 'explode'; use one of: abort, close, open, reset, abandon-all");
		assertRefused(() -> HostAction.from(null), Status.BAD_REQUEST,
				"Missing action; use one of: abort, close, open, reset, abort-listener, reset-listener");
		assertRefused(() -> ChannelAction.from("close"), Status.BAD_REQUEST,
				"Unknown action 'close'; use one of: abort");
		assertRefused(() -> CallRemoval.from("shred\n"), Status.BAD_REQUEST,
				"Unknown mode 'shred'; use abandon or abort");
		assertRefused(() -> ProxyAction.from("x\u202E".repeat(100)), Status.BAD_REQUEST,
				"Unknown action '" + "x".repeat(40) + "'; use one of: abort, close, open, reset, abandon-all");
	}

	@Test
	void anUnknownCollectionIsNotFoundAndEchoedOnlyWhenItIsAName() {
		assertThat(OperatorCollection.from("operations")).isEqualTo(OperatorCollection.OPERATIONS);
		assertThat(OperatorCollection.find("Proxies")).isNull();
		assertRefused(() -> OperatorCollection.from("queues"), Status.NOT_FOUND,
				"No collection 'queues'; use proxies, calls, channels, hosts or operations");
		assertRefused(() -> OperatorCollection.from("<script>"), Status.NOT_FOUND,
				"No collection; use proxies, calls, channels, hosts or operations");
	}

	@Test
	void idsOfTheWrongShapeAreABadRequest() {
		assertThat(OperatorInput.callId("c-1a")).isEqualTo("c-1a");
		assertRefused(() -> OperatorInput.callId("o-1a"), Status.BAD_REQUEST,
				"Malformed call id; call ids look like c-1a2b");
		assertRefused(() -> OperatorInput.channelId("c-1a"), Status.BAD_REQUEST,
				"Malformed channel id; channel ids look like ch-1a2b");
		assertRefused(() -> OperatorInput.operationId(""), Status.BAD_REQUEST,
				"Malformed operation id; operation ids look like o-1a2b");
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

	private static void assertRefused(Runnable parse, Status status, String detail) {
		assertThatExceptionOfType(OperatorRequestException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.answer().status()).isEqualTo(status);
			assertThat(((OperatorError) ex.answer().body()).detail()).isEqualTo(detail);
			assertThat(ex.getStackTrace()).isEmpty();
		});
	}

}
