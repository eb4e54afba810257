package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.SilentNioServer;
import io.github.cancellablesoap.testsupport.CallEnds;
import io.github.cancellablesoap.testsupport.Racers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.WebServiceClientException;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Races of the non-blocking form, on many threads released together: aborts landing while
 * calls are being admitted and sent (before, during and after their exchange starts), a
 * proxy abort against new calls, aborts against completions, and an executor that refuses
 * every other task. Whatever wins, every result completes, every listener that heard a
 * start hears an end, every socket a call opened is closed, and the registry empties.
 */
class AsyncRaceTests {

	private static final Duration RACE = Duration.ofSeconds(120);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serverless();

	private final ExecutorService completion = Executors.newFixedThreadPool(2);

	private final CallEnds ends = new CallEnds();

	@AfterEach
	void stopCompletion() {
		this.completion.shutdownNow();
	}

	@Test
	void abortsRacingTheStartOfCallsEndEveryCallAndCloseEverySocket() throws Exception {
		SilentNioServer server = this.fixture.closeAfter(SilentNioServer.start());
		DefaultServiceProxy proxy = open(server.uri("/silent"));
		Queue<PendingCall<String>> started = new ConcurrentLinkedQueue<>();
		AtomicInteger starting = new AtomicInteger(4);
		Racers.race(this.fixture.threads(), 8, RACE, (racer) -> {
			if (racer < 4) {
				for (int i = 0; i < 100; i++) {
					started.add(send(proxy));
				}
				starting.decrementAndGet();
			}
			else {
				while (starting.get() > 0) {
					for (CallInfo call : proxy.calls()) {
						proxy.abortCall(call.id(), "racing");
					}
				}
			}
		});
		for (CallInfo call : proxy.calls()) {
			proxy.abortCall(call.id(), "sweep");
		}
		assertEveryCallEnded(started, proxy);
		assertThat(started).hasSize(400);
		// What this checks: every call ends, its listener hears it, its slot comes back,
		// and after a proxy abort every connection the server accepted is closed. What it
		// does not check: that each racing abort by call id closed its call's own socket.
		// An abort landing as HttpClient completes a connection's lease can leave that
		// connection leased with no exchange on it (a known lease leak of the transport,
		// not fixed here); the final proxy abort stops the transport, which closes it.
		// Every call's own socket is proven closed per phase in AsyncCancellationTests.
		proxy.abort("race over");
		await().atMost(Duration.ofSeconds(30)).until(() -> server.closedByPeer() == server.accepted());
	}

	@Test
	void aProxyAbortRacingNewCallsRejectsOrEndsEachOfThem() throws Exception {
		raceNewCallsWith((proxy) -> proxy.abort("racing"));
	}

	@Test
	void aProxyCloseRacingNewCallsRejectsOrEndsEachOfThem() throws Exception {
		// close waits for the pending calls up to its close-timeout (100 ms), then aborts
		raceNewCallsWith(ServiceProxy::close);
	}

	private void raceNewCallsWith(java.util.function.Consumer<ServiceProxy> ending) throws Exception {
		SilentNioServer server = this.fixture.closeAfter(SilentNioServer.start());
		DefaultServiceProxy proxy = open(server.uri("/silent"));
		Queue<PendingCall<String>> started = new ConcurrentLinkedQueue<>();
		AtomicInteger rejected = new AtomicInteger();
		AtomicInteger starting = new AtomicInteger(4);
		Racers.race(this.fixture.threads(), 5, RACE, (racer) -> {
			if (racer < 4) {
				for (int i = 0; i < 100; i++) {
					try {
						started.add(send(proxy));
					}
					catch (CallRejectedException ex) {
						rejected.incrementAndGet();
					}
				}
				starting.decrementAndGet();
			}
			else {
				while (starting.get() > 0) {
					ending.accept(proxy);
					proxy.reset();
					proxy.open();
				}
			}
		});
		proxy.abort("the end");
		assertThat(started.size() + rejected.get()).isEqualTo(400);
		for (PendingCall<String> call : started) {
			assertThat(call.result()).failsWithin(Duration.ofSeconds(30))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(WebServiceClientException.class);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
		await().atMost(Duration.ofSeconds(30)).until(() -> server.closedByPeer() == server.accepted());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ends.ended() == this.ends.started());
	}

	@Test
	void abortsRacingCompletionsDecideEachCallOnce() throws Exception {
		ScriptedHttpServer server = this.fixture.closeAfter(ScriptedHttpServer
			.start(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse())));
		DefaultServiceProxy proxy = open(server.uri("/ws"));
		Queue<PendingCall<String>> started = new ConcurrentLinkedQueue<>();
		AtomicInteger completed = new AtomicInteger();
		AtomicInteger aborted = new AtomicInteger();
		Racers.race(this.fixture.threads(), 4, RACE, (racer) -> {
			for (int i = 0; i < 100; i++) {
				PendingCall<String> call = send(proxy);
				started.add(call);
				if (i % 2 == 0) {
					call.cancel(true);
				}
				else {
					proxy.abortCall(call.callId(), "racing");
				}
			}
		});
		assertEveryCallEnded(started, proxy);
		for (PendingCall<String> call : started) {
			assertThat(this.ends.outcomes(call.callId())).as("end events of call " + call.callId()).hasSize(1);
			Throwable failure = call.result().handle((result, ex) -> ex).join();
			if (failure == null) {
				assertThat(call.result().join()).contains("echoResponse");
				assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.COMPLETED);
				completed.incrementAndGet();
			}
			else {
				assertThat(failure).isInstanceOfAny(CancellationException.class, CallAbortedException.class);
				assertThat(this.ends.outcomes(call.callId())).containsExactly(CallOutcome.ABORTED);
				aborted.incrementAndGet();
			}
		}
		assertThat(this.ends.ended()).isEqualTo(400);
		assertThat(completed.get() + aborted.get()).isEqualTo(400);
		assertThat(aborted.get()).as("some aborts won").isPositive();
	}

	@Test
	void anExecutorRefusingEveryOtherTaskEndsEveryCall() throws Exception {
		ScriptedHttpServer server = this.fixture.closeAfter(ScriptedHttpServer
			.start(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse())));
		DefaultServiceProxy proxy = open(server.uri("/ws"));
		AtomicInteger tasks = new AtomicInteger();
		Queue<PendingCall<String>> started = new ConcurrentLinkedQueue<>();
		Racers.race(this.fixture.threads(), 4, RACE, (racer) -> {
			for (int i = 0; i < 50; i++) {
				started.add(proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text,
						(task) -> {
							if (tasks.getAndIncrement() % 2 == 0) {
								throw new RejectedExecutionException("every other one");
							}
							this.completion.execute(task);
						}));
			}
		});
		assertEveryCallEnded(started, proxy);
		int refused = 0;
		for (PendingCall<String> call : started) {
			Throwable failure = call.result().handle((result, ex) -> ex).join();
			if (failure == null) {
				assertThat(call.result().join()).contains("echoResponse");
			}
			else {
				assertThat(failure).isInstanceOf(RejectedExecutionException.class).hasMessage("every other one");
				refused++;
			}
		}
		assertThat(refused).isEqualTo(100);
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	private DefaultServiceProxy open(java.net.URI address) {
		DefaultServiceProxy proxy = this.fixture.open(address,
				(settings) -> settings.maxPendingCalls(1000)
					.callTimeout(Duration.ofMinutes(5))
					.closeTimeout(Duration.ofMillis(100)));
		proxy.setCallListener(this.ends);
		return proxy;
	}

	private PendingCall<String> send(ServiceProxy proxy) {
		return proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text,
				this.completion);
	}

	private void assertEveryCallEnded(Queue<PendingCall<String>> started, ServiceProxy proxy) {
		List<CompletableFuture<String>> results = started.stream().map(PendingCall::result).toList();
		await().atMost(Duration.ofSeconds(30)).until(() -> results.stream().allMatch(CompletableFuture::isDone));
		await().atMost(Duration.ofSeconds(30)).until(() -> proxy.pendingCalls() == 0);
		assertThat(proxy.calls()).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ends.ended() == this.ends.started());
		assertThat(this.ends.started()).isEqualTo(started.size());
	}

}
