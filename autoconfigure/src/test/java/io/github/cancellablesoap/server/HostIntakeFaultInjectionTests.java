package io.github.cancellablesoap.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.testsupport.CountingListener;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Whatever throws between a request's admission and its dispatch (the operation listener,
 * the timer, going asynchronous, the read listener, the caller-gone detector, Spring WS,
 * the endpoint), the operation is released exactly once, every count returns to zero and
 * the caller gets a SOAP fault.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostIntakeFaultInjectionTests extends HostileTestSupport {

	@Autowired
	@Qualifier("mainIntake")
	ServletRegistrationBean<ServiceHostServlet> mainIntake;

	private final CountingListener counting = new CountingListener();

	@AfterEach
	void restore() {
		this.mainIntake.getServlet().hooks(IntakeHooks.NONE);
		this.mainHost.setOperationListener(OperationListener.NONE);
	}

	@Test
	void everyStepBetweenAdmissionAndDispatchReleasesTheOperationWhateverThrows() throws Exception {
		this.mainHost.setOperationListener(this.counting);
		int requests = 0;
		for (IntakeHooks.Step step : IntakeHooks.Step.values()) {
			for (Throwable failure : new Throwable[] { new IllegalStateException("injected at " + step),
					new StackOverflowError("injected at " + step) }) {
				this.mainIntake.getServlet().hooks((current) -> {
					if (current == step) {
						throwUnchecked(failure);
					}
				});
				HttpResponse<String> response = answer(post("main", work("echo")));
				requests++;
				assertThat(response.statusCode()).as(step + " " + failure).isEqualTo(500);
				assertThat(response.body()).as(step + " " + failure)
					.contains("Fault>")
					.contains("of service host 'main' failed in the host")
					.endsWith("Envelope>");
				int expected = requests;
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(this.counting.ended).as(step + " " + failure).hasValue(expected));
				assertThat(this.mainHost.operations()).as(step + " " + failure).isEmpty();
				assertThat(this.mainHost.running()).isZero();
				assertThat(this.mainHost.receiving()).isZero();
			}
		}
		assertThat(this.counting.started).hasValue(requests);
		this.mainIntake.getServlet().hooks(IntakeHooks.NONE);
		assertHostUnharmed();
	}

	@Test
	void anOperationListenerThatThrowsAnErrorOnStartLeavesNoOperationBehind() throws Exception {
		this.mainHost.setOperationListener(new OperationListener() {

			@Override
			public @Nullable Object operationStarted(StartedOperation operation) {
				throw new StackOverflowError("listener");
			}

		});
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> response = answer(post("main", work("echo")));
			assertThat(response.statusCode()).isEqualTo(500);
			assertThat(response.body()).contains("A request of service host 'main' failed in the host");
		}
		this.mainHost.setOperationListener(OperationListener.NONE);
		assertHostUnharmed();
	}

	@Test
	void aTimerThatRefusesTheDeadlineLeavesNoOperationBehind() {
		CancellationTimer stopped = new CancellationTimer("stopped");
		stopped.shutdown();
		DefaultServiceHost host = new DefaultServiceHost(
				ServiceHostSettings.of("timed", "/timed").withMaxReceivingRequests(1), stopped);
		host.setOperationListener(this.counting);
		host.open();
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(RejectedExecutionException.class)
				.isThrownBy(() -> host.admit("a", null, Duration.ofSeconds(5)));
		}
		assertThat(host.operations()).isEmpty();
		assertThat(host.receiving()).isZero();
		assertThat(this.counting.started).hasValue(3);
		assertThat(this.counting.ended).hasValue(3);
		assertThat(host.admit("a", null, null).operation()).as("the one receiving place is free").isNotNull();
	}

	@Test
	void anEndpointThatOverflowsItsStackAnswersAFaultAndIsReleased(CapturedOutput output) throws Exception {
		HttpResponse<String> response = answer(post("main", work("overflow")));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("Fault>").contains("failed in the host").endsWith("Envelope>");
		// completion callbacks run on the callback executor, after the answer may have
		// left
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.probe.completed).hasSize(1));
		assertThat(output.getAll()).contains("ERROR").contains("StackOverflowError");
		assertHostUnharmed();
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> void throwUnchecked(Throwable failure) throws E {
		throw (E) failure;
	}

}
