package io.github.cancellablesoap.autoconfigure.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.testsupport.ThreadCounts;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The callback executor shuts down with the context, after the hosts were closed: the
 * cancel callback of an operation that outlives the host's close timeout still runs on
 * one of its threads, and then its threads end.
 */
class CallbackExecutorShutdownIntegrationTests {

	private static final String NAMESPACE = "urn:slow";

	@Test
	void theExecutorClosesAfterTheHostsSoThatCloseTimeoutCallbacksStillRunOnIt() throws Exception {
		Slow slow = new Slow();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SlowApplication.class)
			.web(WebApplicationType.SERVLET)
			.initializers((initializing) -> initializing.getBeanFactory().registerSingleton("slow", slow))
			.properties("server.port=0", "cancellable-soap.hosts.main.path=/soap",
					"cancellable-soap.hosts.main.close-timeout=200ms", "cancellable-soap.hosts.main.abort-grace=5s",
					"spring.main.banner-mode=off")
			.run();
		CallbackExecutor executor = context.getBean(CallbackExecutor.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		CompletableFuture<HttpResponse<String>> response = post(port);
		try {
			assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			context.close();
		}
		assertThat(slow.reason.get()).isEqualTo(CancelReason.HOST_CLOSE_TIMED_OUT);
		assertThat(slow.thread.get()).startsWith(executor.threadNamePrefix());
		assertThat(executor.isClosed()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> ThreadCounts.live(executor.threadNamePrefix()) == 0);
		response.cancel(true);
	}

	private static CompletableFuture<HttpResponse<String>> post(int port) {
		String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<soapenv:Body><s:Slow xmlns:s=\"" + NAMESPACE + "\"/></soapenv:Body></soapenv:Envelope>";
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/soap"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "text/xml; charset=utf-8")
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(envelope))
			.build();
		return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SlowApplication {

		@Bean
		SlowEndpoint slowEndpoint(Slow slow) {
			return new SlowEndpoint(slow);
		}

	}

	/**
	 * What the endpoint saw.
	 */
	static final class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final AtomicReference<CancelReason> reason = new AtomicReference<>();

		final AtomicReference<String> thread = new AtomicReference<>();

		final CountDownLatch cancelled = new CountDownLatch(1);

	}

	@Endpoint
	static class SlowEndpoint {

		private final Slow slow;

		SlowEndpoint(Slow slow) {
			this.slow = slow;
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "Slow")
		@ResponsePayload
		Element slow(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			context.onCancel((why) -> {
				this.slow.reason.set(why);
				this.slow.thread.set(Thread.currentThread().getName());
				this.slow.cancelled.countDown();
			});
			this.slow.started.countDown();
			this.slow.cancelled.await(10, TimeUnit.SECONDS);
			return request.getOwnerDocument().createElementNS(NAMESPACE, "s:SlowResponse");
		}

	}

}
