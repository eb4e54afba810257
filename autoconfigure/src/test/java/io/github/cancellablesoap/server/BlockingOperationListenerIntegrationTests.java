package io.github.cancellablesoap.server;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.BlockingOnce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's operation listener bean that blocks for good in {@code aborted}: the
 * caller-gone detector that raised the event goes on detecting the next caller that
 * leaves, because the listener hears the event on an application thread.
 */
@SpringBootTest(classes = BlockingOperationListenerIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cancellable-soap.hosts.slow.path=/hosts/slow", "cancellable-soap.hosts.slow.abort-grace=1s" })
class BlockingOperationListenerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("slow")
	ServiceHost host;

	@Autowired
	SlowEndpoint endpoint;

	@Autowired
	BlockingListener listener;

	@AfterEach
	void unblock() {
		this.listener.blocking.release();
	}

	@Test
	void theDetectorGoesOnWhileTheListenerBlocksOnTheCancelItRaised() throws Exception {
		for (String id : new String[] { "first", "second" }) {
			try (Socket caller = new Socket("localhost", this.port)) {
				HostTestSupport.send(caller, "slow",
						HostTestSupport.envelope("<t:slow xmlns:t=\"urn:slow\">" + id + "</t:slow>"));
				await().atMost(WAIT).until(() -> this.endpoint.running.containsKey(id));
			}
			assertThat(this.endpoint.cancelled(id).await(WAIT.toSeconds(), TimeUnit.SECONDS))
				.as("operation %s cancelled when its caller left", id)
				.isTrue();
			assertThat(this.endpoint.reasons.get(id)).isEqualTo(CancelReason.CALLER_GONE);
		}
		assertThat(this.listener.blocking.awaitEntered(WAIT)).isTrue();
		assertThat(this.listener.blocking.thread()).startsWith("soap-application-");
		await().atMost(WAIT).until(() -> this.host.operations().isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(SlowEndpoint.class)
	static class Application {

		@Bean
		BlockingListener blockingListener() {
			return new BlockingListener();
		}

	}

	/**
	 * Blocks for good in its first {@code aborted}, noting where it ran.
	 */
	static class BlockingListener implements OperationListener {

		final BlockingOnce blocking = new BlockingOnce();

		@Override
		public void aborted(AbortEvent event) {
			this.blocking.enter();
		}

	}

	/**
	 * Runs until cancelled (at most 30 s), noting when it runs and why it was cancelled.
	 */
	@Endpoint
	static class SlowEndpoint {

		final Map<String, Boolean> running = new ConcurrentHashMap<>();

		final Map<String, CancelReason> reasons = new ConcurrentHashMap<>();

		private final Map<String, CountDownLatch> cancels = new ConcurrentHashMap<>();

		@PayloadRoot(namespace = "urn:slow", localPart = "slow")
		@ResponsePayload
		Element slow(@RequestPayload Element request, OperationContext operation) throws InterruptedException {
			String id = request.getTextContent();
			CountDownLatch cancelled = cancelled(id);
			operation.onCancel((reason) -> {
				this.reasons.put(id, reason);
				cancelled.countDown();
			});
			this.running.put(id, true);
			cancelled.await(30, TimeUnit.SECONDS);
			return request;
		}

		CountDownLatch cancelled(String id) {
			return this.cancels.computeIfAbsent(id, (key) -> new CountDownLatch(1));
		}

	}

}
