package io.github.cancellablesoap.test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.RawHttpClient;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.Test;

import static io.github.cancellablesoap.test.SoapCalls.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests that a failure inside the service is told apart from a scripted close, and that
 * the durations that would make it fail are refused up front.
 */
class ServiceFailureTests {

	@Test
	void aFailureInsideTheServiceShowsAsServiceFailedWithItsDescriptionAndIsReported() throws IOException {
		List<String> reported = new CopyOnWriteArrayList<>();
		Behaviour failing = Behaviour.script((request, out) -> {
			throw new IllegalStateException("boom inside");
		});
		try (ScriptedHttpServer server = ScriptedHttpServer.builder()
			.behaviour(failing)
			.failureListener((connection, failure) -> reported.add(connection.index() + " " + failure))
			.start(); RawHttpClient client = RawHttpClient.connect(server.port())) {
			client.post("/ws", "<Envelope/>");
			assertThat(client.read()).as("end of stream, no answer").isEqualTo(-1);
			ServerConnection connection = server.awaitConnection(0, WAIT);
			assertThat(connection.awaitEnded(WAIT)).isTrue();

			SoapConnection seen = LocalMisbehavingSoapService.snapshot(connection);

			assertThat(seen.state()).isEqualTo(SoapConnection.State.SERVICE_FAILED);
			assertThat(seen.closedByClient()).isFalse();
			assertThat(seen.failure()).isEqualTo("java.lang.IllegalStateException: boom inside");
			assertThat(seen.closedAt()).isNotNull();
			assertThat(SoapConnection.parse(seen.toLine())).isEqualTo(seen);
			assertThat(reported).containsExactly("0 java.lang.IllegalStateException: boom inside");
		}
	}

	@Test
	void aScriptedCloseIsNoFailure() throws IOException {
		try (LocalMisbehavingSoapService service = MisbehavingSoapService.start();
				RawHttpClient client = RawHttpClient.connect(service.port())) {
			service.enqueue(SoapBehaviour.closeWithoutAnswer());
			client.post("/ws", "<Envelope/>");
			assertThat(client.read()).isEqualTo(-1);
			service.awaitNoOpenConnection(WAIT);

			assertThat(service.connections()).singleElement().satisfies((connection) -> {
				assertThat(connection.state()).isEqualTo(SoapConnection.State.SERVICE_CLOSED);
				assertThat(connection.failure()).isNull();
			});
		}
	}

	@Test
	void aDelayOrPauseBeyondADayIsRefused() {
		Duration tooLong = Duration.ofHours(100_000_000);
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.answer("<a/>").afterDelay(tooLong))
			.withMessageContaining("PT24H");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SoapBehaviour.answer("<a/>").afterRandomDelay(Duration.ZERO, tooLong));
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.answer("<a/>").dribble(1, tooLong));
		assertThatIllegalArgumentException().isThrownBy(() -> SoapBehaviour.parse("answer delay=PT100000000H"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Behaviour.respond(200, "text/plain", "x").afterDelay(tooLong));
		assertThat(SoapBehaviour.answer("<a/>").afterDelay(Behaviour.MAX_PAUSE)).isNotNull();
	}

}
