package io.github.cancellablesoap.autoconfigure.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.test.ThreadCounts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The callback executor shuts down with the context, after the hosts were closed: the
 * cancel callback of an operation that outlives the host's close timeout still runs on
 * one of its threads, and then its threads end.
 */
class CallbackExecutorShutdownIntegrationTests {

	@Test
	void theExecutorClosesAfterTheHostsSoThatCloseTimeoutCallbacksStillRunOnIt() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ShutdownApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "cancellable-soap.hosts.main.path=/soap",
					"cancellable-soap.hosts.main.close-timeout=200ms", "cancellable-soap.hosts.main.abort-grace=5s",
					"spring.main.banner-mode=off")
			.run();
		CallbackExecutor executor = context.getBean(CallbackExecutor.class);
		EchoEndpoint endpoint = context.getBean(EchoEndpoint.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		CompletableFuture<HttpResponse<String>> response = SoapPost.postAsync(port, "/soap",
				SoapPost.envelope("", EchoEndpoint.WAIT));
		try {
			assertThat(endpoint.waiting.await(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			context.close();
		}
		assertThat(endpoint.cancelReason.get()).isEqualTo(CancelReason.HOST_CLOSE_TIMED_OUT);
		assertThat(endpoint.cancelThread.get()).startsWith(executor.threadNamePrefix());
		assertThat(executor.isClosed()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> ThreadCounts.live(executor.threadNamePrefix()) == 0);
		response.cancel(true);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class ShutdownApplication {

	}

}
