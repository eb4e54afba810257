package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.test.BlockingOnce;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application's call listener bean that blocks for good in {@code aborted}: the events
 * the proxy's timer raises reach it on an application thread, so the timer goes on ending
 * other calls' abandoned I/O and timing out queued calls, whose futures complete on an
 * application thread too.
 */
@SpringBootTest(classes = BlockingCallListenerIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "cancellable-soap.proxies.hung.address=http://127.0.0.1:${test.hung.port}/ws",
				"cancellable-soap.proxies.hung.call-timeout=300ms",
				"cancellable-soap.proxies.hung.timeout-action=abandon",
				"cancellable-soap.proxies.hung.abandoned-io-timeout=300ms" })
class BlockingCallListenerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@AutoClose
	private static final ScriptedHttpServer HUNG = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	@Autowired
	@Qualifier("hung")
	private ServiceProxy hung;

	@Autowired
	private BlockingListener listener;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("test.hung.port", HUNG::port);
	}

	@AfterEach
	void unblock() {
		this.listener.blocking.release();
	}

	@Test
	void theTimerGoesOnWhileTheListenerBlocksOnTheEventItRaised() throws Exception {
		int first = HUNG.connections().size();
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(CallTimedOutException.class).isThrownBy(() -> call(this.hung));
		}
		// each abandoned call's I/O limit runs out on the timer, which tells the
		// listener;
		// the first one blocks it for good
		assertThat(HUNG.connections().get(first).awaitClosedByPeer(WAIT)).as("first abandoned socket").isTrue();
		assertThat(HUNG.connections().get(first + 1).awaitClosedByPeer(WAIT)).as("second abandoned socket").isTrue();
		assertThat(this.listener.blocking.awaitEntered(WAIT)).isTrue();
		assertThat(this.listener.blocking.thread()).startsWith("soap-application-");
		await().atMost(WAIT).until(() -> this.hung.pendingCalls() == 0);
	}

	@Test
	void aQueuedCallTimedOutByTheTimerCompletesItsFutureOffTheTimer() throws Exception {
		Executor never = (task) -> {
			// the task is never run: the call waits in this "queue" until it times out
		};
		PendingCall<String> call = this.hung.submit(BlockingCallListenerIntegrationTests::call, never);
		AtomicReference<String> continuedOn = new AtomicReference<>();
		CountDownLatch continued = new CountDownLatch(1);
		call.result().whenComplete((result, failure) -> {
			continuedOn.set(Thread.currentThread().getName());
			continued.countDown();
		});
		assertThat(continued.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(call.result()).isCompletedExceptionally();
		assertThat(continuedOn.get()).as("the future's continuation ran on").startsWith("soap-application-");
		assertThat(this.hung.pendingCalls()).isZero();
	}

	private static String call(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<hang xmlns=\"urn:t\"/>"), result);
		return result.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		BlockingListener blockingListener() {
			return new BlockingListener();
		}

	}

	/**
	 * Blocks for good in its first {@code aborted}, noting where its events ran.
	 */
	static class BlockingListener implements CallListener {

		final BlockingOnce blocking = new BlockingOnce();

		@Override
		public void aborted(AbortEvent event) {
			this.blocking.enter();
		}

	}

}
