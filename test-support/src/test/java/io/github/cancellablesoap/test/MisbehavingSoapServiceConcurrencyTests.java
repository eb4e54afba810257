package io.github.cancellablesoap.test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.cancellablesoap.test.http.RawHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static io.github.cancellablesoap.test.SoapCalls.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Races on a {@link LocalMisbehavingSoapService}: many clients taking queued behaviours
 * at once, and connections arriving while the service stops and resumes accepting.
 */
class MisbehavingSoapServiceConcurrencyTests {

	private static final int THREADS = 8;

	@AutoClose
	private final LocalMisbehavingSoapService service = LocalMisbehavingSoapService.builder()
		.maxRecordedRequests(1_000_000)
		.start();

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.threads.shutdownNow();
		assertThat(this.threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void eachQueuedBehaviourGoesToExactlyOneRequestWhenManyClientsRace() throws Exception {
		int queued = 100;
		int perThread = 25;
		for (int i = 0; i < queued; i++) {
			this.service.enqueue(SoapBehaviour.fault("queued"));
		}
		CyclicBarrier start = new CyclicBarrier(THREADS);
		AtomicInteger faults = new AtomicInteger();
		AtomicInteger echoes = new AtomicInteger();
		List<Future<?>> clients = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			clients.add(this.threads.submit(() -> {
				start.await();
				for (int i = 0; i < perThread; i++) {
					HttpResponse<String> response = SoapCalls.post(this.service.uri("/ws"), SoapVersion.SOAP_11);
					(response.statusCode() == 500 ? faults : echoes).incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> client : clients) {
			client.get(60, TimeUnit.SECONDS);
		}

		assertThat(faults).hasValue(queued);
		assertThat(echoes).hasValue(THREADS * perThread - queued);
		assertThat(this.service.requests()).extracting(SoapRequest::index)
			.containsExactlyElementsOf(IntStream.range(0, THREADS * perThread).boxed().toList());
	}

	@Test
	void noConnectionIsAcceptedOnceStopAcceptingHasReturnedWhileClientsKeepConnecting() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger answered = new AtomicInteger();
		List<Future<?>> clients = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			clients.add(this.threads.submit(() -> {
				while (running.get()) {
					try (RawHttpClient client = RawHttpClient.connect(this.service.port())) {
						client.post("/ws", SoapCalls.envelope(SoapVersion.SOAP_11));
						assertThat(client.readResponse().status()).isEqualTo(200);
						answered.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (int round = 0; round < 10; round++) {
			this.service.setAccepting(false);
			int accepted = this.service.connections().size();

			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.service.awaitConnection(accepted, Duration.ofMillis(100)));
			assertThat(this.service.connections()).hasSize(accepted);

			this.service.setAccepting(true);
			this.service.awaitConnection(accepted, WAIT);
		}
		running.set(false);
		for (Future<?> client : clients) {
			client.get(30, TimeUnit.SECONDS);
		}
		assertThat(answered.get()).isEqualTo(this.service.requests().size());
		this.service.awaitNoOpenConnection(WAIT);
	}

}
