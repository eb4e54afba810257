package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import io.github.cancellablesoap.test.ThreadCounts;
import io.github.cancellablesoap.test.http.SilentNioServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of calls of the non-blocking form pending at once against a server that reads
 * and never answers (one selector thread), with a two-thread completion executor: no
 * thread is added per pending call, every call is tracked, and one proxy abort releases
 * every result and closes every socket (counted on the server side). The benchmarks'
 * {@code PendingMemoryBenchmark} does the same with 10,000 calls and a server in a child
 * JVM (10,000 sockets on each side would not fit one JVM's file limit).
 */
class AsyncScaleTests {

	private static final int CALLS = 2000;

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serverless();

	private final SilentNioServer server = this.fixture.closeAfter(SilentNioServer.start());

	private final ExecutorService completion = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopCompletion() {
		this.completion.shutdownNow();
	}

	@Test
	void thousandsOfPendingCallsHoldNoThreadAndOneAbortReleasesThemAll() throws InterruptedException {
		DefaultServiceProxy proxy = this.fixture.open(this.server.uri("/silent"),
				(settings) -> settings.maxPendingCalls(CALLS).callTimeout(Duration.ofMinutes(5)));
		// one call first starts what the transport and the proxy start once: the I/O
		// reactor's threads, the timer, a completion thread
		PendingCall<String> first = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				AsyncCancellationTests::text, this.completion);
		this.server.awaitRequests(1, Duration.ofSeconds(10));
		assertThat(first.cancel(true)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.result().isDone() && proxy.pendingCalls() == 0);
		Set<String> threadsBefore = ThreadCounts.liveNames("").stream().collect(Collectors.toSet());
		List<PendingCall<String>> calls = new ArrayList<>(CALLS);
		for (int i = 0; i < CALLS; i++) {
			calls.add(proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text,
					this.completion));
		}
		this.server.awaitRequests(CALLS + 1, Duration.ofSeconds(60));
		List<String> added = ThreadCounts.liveNames("")
			.stream()
			.filter((name) -> !threadsBefore.contains(name))
			.toList();
		assertThat(added).as("threads started while %d calls are pending", CALLS).hasSizeLessThanOrEqualTo(2);
		assertThat(proxy.pendingCalls()).isEqualTo(CALLS);
		assertThat(proxy.calls()).hasSize(CALLS);
		assertThat(calls).noneMatch((call) -> call.result().isDone());
		assertThat(proxy.abort("scale test")).isTrue();
		CompletableFuture<?>[] results = calls.stream().map(PendingCall::result).toArray(CompletableFuture[]::new);
		assertThat(CompletableFuture.allOf(results)).failsWithin(Duration.ofSeconds(30));
		for (PendingCall<String> call : calls) {
			assertThat(call.result()).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(CallAbortedException.class);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.server.closedByPeer() == CALLS + 1);
		assertThat(this.server.accepted()).isEqualTo(CALLS + 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingCalls() == 0);
	}

}
