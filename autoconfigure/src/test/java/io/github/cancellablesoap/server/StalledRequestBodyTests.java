package io.github.cancellablesoap.server;

import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose body stalls holds its operation slot only until Tomcat's connection
 * timeout: the container reports the failed read and the operation ends.
 */
@TestPropertySource(properties = "server.tomcat.connection-timeout=1s")
class StalledRequestBodyTests extends HostTestSupport {

	@Test
	void stalledBodyEndsTheOperationAtTheConnectionTimeout() throws Exception {
		try (Socket socket = sendStalledBody()) {
			String id = this.mainHost.operations().get(0).id();
			assertThat(this.mainHost.operation(id))
				.hasValueSatisfying((info) -> assertThat(info.operation()).isEqualTo("?"));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.mainHost.operations().isEmpty());
		}
		assertThat(this.probe.started).isEmpty();
	}

}
