package io.github.cancellablesoap.server;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests served by hosts: binding of endpoints to hosts, operation contexts, the
 * registry, and each cancel reason produced by its situation.
 */
class ServiceHostServingTests extends HostTestSupport {

	@Test
	void servesAnEndpointBoundToTheHostWithTheCallersCallId() throws Exception {
		HttpResponse<String> response = answer(post("main", work("echo"), Map.of("Soap-Call-Id", "c-42")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("WorkResponse").contains("callerCallId=\"c-42\"");
	}

	@Test
	void answersNotFoundForAnEndpointBoundToAnotherHost() throws Exception {
		HttpResponse<String> response = answer(post("other", work("echo")));
		assertThat(response.statusCode()).isEqualTo(404);
		HttpResponse<String> other = answer(
				post("other", envelope("<t:Other xmlns:t=\"" + WorkEndpoint.NAMESPACE + "\"/>")));
		assertThat(other.statusCode()).isEqualTo(200);
		assertThat(other.body()).contains("OtherResponse");
	}

	@Test
	void callerGoneCancelsTheOperation() throws Exception {
		try (Socket socket = sendRaw("main", work("cancel"))) {
			String id = nextStarted();
			socket.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.cancels.containsKey(id));
			assertThat(this.probe.cancels.get(id)).isEqualTo(CancelReason.CALLER_GONE);
		}
	}

}
