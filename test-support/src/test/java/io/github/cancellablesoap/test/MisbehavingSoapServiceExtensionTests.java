package io.github.cancellablesoap.test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.test.http.RawHttpClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static io.github.cancellablesoap.test.SoapCalls.WAIT;
import static io.github.cancellablesoap.test.SoapCalls.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Tests for {@link MisbehavingSoapServiceExtension}, used as a user would: one service
 * for the class, handed to test methods as a parameter, reset between tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MisbehavingSoapServiceExtensionTests {

	@RegisterExtension
	static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension();

	private static final AtomicInteger port = new AtomicInteger();

	@Test
	@Order(1)
	void theServiceIsHandedToTestsAsAParameter(MisbehavingSoapService service, LocalMisbehavingSoapService local)
			throws IOException {
		assertThat(service).isSameAs(soap.service()).isSameAs(local);
		port.set(service.port());
		service.enqueue(SoapBehaviour.fault("first"), SoapBehaviour.fault("left for the next test"));
		service.setDefaultBehaviour(SoapBehaviour.fault("default"));

		assertThat(post(service.uri("/ws"), SoapVersion.SOAP_11).body()).contains("first");
		assertThat(service.requests()).hasSize(1);
	}

	@Test
	@Order(2)
	void eachTestStartsWithAFreshScriptAndRecordOnTheSamePort(MisbehavingSoapService service) throws IOException {
		assertThat(service.port()).isEqualTo(port.get());
		assertThat(service.requests()).isEmpty();
		assertThat(service.connections()).as("only what the client keeps alive")
			.allSatisfy((connection) -> assertThat(connection.state()).isEqualTo(SoapConnection.State.OPEN));

		assertThat(post(service.uri("/ws"), SoapVersion.SOAP_11).statusCode()).isEqualTo(200);
		assertThat(service.awaitRequest(0, WAIT).index()).isZero();
	}

	@Test
	@Order(3)
	void aTestThatLeavesAConnectionOpenFailsWhenAskedTo() {
		TestExecutionSummary summary = run(LeavesAConnectionOpen.class);

		assertThat(summary.getTestsFailedCount()).isOne();
		assertThat(summary.getFailures().get(0).getException()).isInstanceOf(AssertionError.class)
			.hasMessageContaining("1 connection(s) still open after PT0.2S");
		LeavesAConnectionOpen.closeClient();
	}

	@Test
	@Order(4)
	void aTestWhoseClientClosesItsConnectionPasses() {
		TestExecutionSummary summary = run(ClosesItsConnection.class);

		assertThat(summary.getTestsSucceededCount()).isOne();
		assertThat(summary.getTotalFailureCount()).isZero();
	}

	@Test
	@Order(5)
	void onAnInstanceFieldEachTestGetsAServiceOfItsOwn() {
		TestExecutionSummary summary = run(OneServicePerTest.class);

		assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
		assertThat(OneServicePerTest.ports).hasSize(2);
		assertThat(OneServicePerTest.ports.get(0)).isNotEqualTo(OneServicePerTest.ports.get(1));
	}

	private static TestExecutionSummary run(Class<?> testClass) {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.build();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create().execute(request, listener);
		return listener.getSummary();
	}

	/**
	 * Run by {@link #aTestThatLeavesAConnectionOpenFailsWhenAskedTo()} only.
	 */
	static class LeavesAConnectionOpen {

		@RegisterExtension
		static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension()
			.failOnOpenConnection(Duration.ofMillis(200));

		private static RawHttpClient client;

		@Test
		void leavesItsConnectionOpen(MisbehavingSoapService service) throws IOException {
			client = RawHttpClient.connect(service.port());
			client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));
			assertThat(client.readResponse().status()).isEqualTo(200);
		}

		static void closeClient() {
			try {
				client.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}

	}

	/**
	 * Run by {@link #aTestWhoseClientClosesItsConnectionPasses()} only.
	 */
	static class ClosesItsConnection {

		@RegisterExtension
		static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension()
			.failOnOpenConnection(Duration.ofSeconds(5));

		@Test
		void closesItsConnection(MisbehavingSoapService service) throws IOException {
			try (RawHttpClient client = RawHttpClient.connect(service.port())) {
				client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));
				assertThat(client.readResponse().status()).isEqualTo(200);
			}
		}

	}

	/**
	 * Run by {@link #onAnInstanceFieldEachTestGetsAServiceOfItsOwn()} only.
	 */
	static class OneServicePerTest {

		static final java.util.List<Integer> ports = new java.util.concurrent.CopyOnWriteArrayList<>();

		@RegisterExtension
		final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension();

		@Test
		void first(MisbehavingSoapService service) {
			ports.add(service.port());
		}

		@Test
		void second(MisbehavingSoapService service) {
			ports.add(service.port());
		}

	}

}
