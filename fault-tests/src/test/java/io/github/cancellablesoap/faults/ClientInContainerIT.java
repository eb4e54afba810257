package io.github.cancellablesoap.faults;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.test.docker.EnabledIfDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other way round: the sample application in a container as the client (its
 * {@code quotes} proxy, started through its {@code /demo/reports}), a service host in
 * this JVM (a Boot context with {@code cancellable-soap.hosts.quotes}, listening on the
 * bridge's gateway address, which the container reaches as {@code host.docker.internal}).
 * Killing the client's container mid-call closes its connection, and the host's operation
 * gets its cancel callback exactly once, with CALLER_GONE.
 */
@EnabledIfDocker
class ClientInContainerIT {

	private static ConfigurableApplicationContext host;

	private static FaultContainer client;

	@BeforeAll
	static void startTheHostAndTheClient() {
		String gateway = FaultContainer.bridgeGateway();
		int port = FaultContainer.freeLoopbackPort();
		host = new SpringApplicationBuilder(ReportHost.class)
			.properties("server.port=" + port, "server.address=" + gateway, "spring.main.banner-mode=off",
					"cancellable-soap.hosts.quotes.path=/soap/quotes")
			.run();
		client = SampleHost.create("sample-client",
				"--cancellable-soap.proxies.quotes.address=http://" + gateway + ":" + port + "/soap/quotes");
		client.start();
	}

	@AfterAll
	static void stopThem() {
		if (client != null) {
			client.close();
		}
		if (host != null) {
			host.close();
		}
	}

	@Test
	void killingTheClientsContainerCancelsTheHostsOperationOnceAsCallerGone() throws InterruptedException {
		ReportEndpoint endpoint = host.getBean(ReportEndpoint.class);
		SampleHost.Answer started = SampleHost.post(client.port(), "/demo/reports?delayMs=60000");
		assertThat(started.status()).isEqualTo(202);
		assertThat(endpoint.entered.await(20, TimeUnit.SECONDS)).as("the report reached the host").isTrue();
		long start = System.nanoTime();
		client.kill();
		assertThat(endpoint.cancelled.await(Calls.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Measured.within("client container killed: the host's operation cancelled (CALLER_GONE)", Duration.ofSeconds(5),
				Measured.since(start));
		assertThat(endpoint.reason.get()).isEqualTo(CancelReason.CALLER_GONE);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> endpoint.cancels.get() == 1);
	}

	/**
	 * The host application of this test: the auto-configured service host and the report
	 * endpoint.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ReportEndpoint.class)
	static class ReportHost {

	}

	/**
	 * The sample's {@code GetReport}, as a host that never answers: it waits for its
	 * operation to be cancelled, counting the cancel callbacks.
	 */
	@Endpoint
	static class ReportEndpoint {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch cancelled = new CountDownLatch(1);

		final AtomicInteger cancels = new AtomicInteger();

		final AtomicReference<CancelReason> reason = new AtomicReference<>();

		@PayloadRoot(namespace = Proxies.NAMESPACE, localPart = "GetReportRequest")
		@ResponsePayload
		public Element report(@RequestPayload Element request, OperationContext operation) throws InterruptedException {
			operation.onCancel((why) -> {
				this.cancels.incrementAndGet();
				this.reason.compareAndSet(null, why);
				this.cancelled.countDown();
			});
			this.entered.countDown();
			this.cancelled.await(120, TimeUnit.SECONDS);
			throw new IllegalStateException("The report was cancelled: " + this.reason.get());
		}

	}

}
