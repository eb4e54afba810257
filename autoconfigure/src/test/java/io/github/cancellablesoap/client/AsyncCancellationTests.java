package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;
import org.springframework.xml.transform.TransformerHelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Abandon, abort and timeout of calls of the non-blocking form waiting for a server that
 * never answers (a real HttpClient 5 exchange, the server watching its sockets): each
 * completes the pending call's result, an abort or timeout closes the socket (seen from
 * the server side), an abandon leaves the I/O running, listed and counted, and every call
 * leaves the registry.
 */
class AsyncCancellationTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	private final ExecutorService completion = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopCompletion() {
		this.completion.shutdownNow();
	}

	@Test
	void cancellingTheResultWithInterruptAbortsTheCallAndClosesItsSocket() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		PendingCall<String> call = send(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(proxy.calls()).extracting(CallInfo::id).containsExactly(call.callId());
		assertThat(call.cancel(true)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> call.result().isCancelled());
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
		assertThat(call.cancel(true)).as("decided already").isFalse();
	}

	@Test
	void cancellingTheResultWithoutInterruptAbandonsTheCallAndItsIoGoesOnListed() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		PendingCall<String> call = send(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(call.cancel(false)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> call.result().isCancelled());
		assertThat(proxy.pendingCalls()).isOne();
		assertThat(proxy.abandonedCalls()).isOne();
		assertThat(proxy.calls()).singleElement().satisfies((info) -> {
			assertThat(info.id()).isEqualTo(call.callId());
			assertThat(info.abandoned()).isTrue();
			assertThat(info.outcome()).isEqualTo(CallOutcome.ABANDONED);
		});
		assertThat(connection.isClosedByPeer()).as("abandon cancels no I/O").isFalse();
		assertThat(proxy.abortCall(call.callId())).as("its I/O is still abortable").isTrue();
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anAbortByCallIdFailsTheResultAsAbortedAndClosesTheSocket() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		PendingCall<String> call = send(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(proxy.abortCall(call.callId(), "operator says so")).isTrue();
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class, "operator says so");
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void theCallTimeoutEndsTheCallWithoutAWaitingThreadAndClosesTheSocket() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMillis(300)));
		PendingCall<String> call = send(proxy);
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(10), CallTimedOutException.class,
				"timed out after 300 ms");
		assertThat(this.fixture.awaitRequest(0).awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aViewsTimeoutAppliesToItsAsyncCalls() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		PendingCall<String> call = proxy.withCallTimeout(Duration.ofMillis(300))
			.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text, this.completion);
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(10), CallTimedOutException.class,
				"timed out after 300 ms");
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aProxyAbortFailsEveryPendingCallAndClosesEverySocket() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			calls.add(send(proxy));
		}
		List<ServerConnection> connections = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			connections.add(this.fixture.awaitRequest(i));
		}
		assertThat(proxy.abort("maintenance")).isTrue();
		for (PendingCall<String> call : calls) {
			ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class, "maintenance");
		}
		for (ServerConnection connection : connections) {
			assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		}
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aCancelledUpstreamScopeAbortsTheCallsMadeInItButNotDetachedOnes() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(Duration.ofMinutes(5)));
		CancellationScope<String> scope = CancellationScope.root(Ticker.SYSTEM, "operation o-1");
		PendingCall<String> following;
		PendingCall<String> detached;
		try (CancellationScope.Attachment attached = scope.attach()) {
			following = send(proxy);
			detached = proxy.detached()
				.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text, this.completion);
		}
		this.fixture.awaitRequest(1);
		assertThat(scope.cancel("HOST_ABORTED", "host 'relay' aborted")).isTrue();
		ProxyFixture.assertFailsWith(following, Duration.ofSeconds(5), CallAbortedException.class,
				"upstream operation o-1 was cancelled");
		assertThat(detached.result()).isNotDone();
		assertThat(proxy.calls()).extracting(CallInfo::id).containsExactly(detached.callId());
		assertThat(detached.cancel(true)).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	private PendingCall<String> send(ServiceProxy proxy) {
		return proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), AsyncCancellationTests::text,
				this.completion);
	}

	static String text(javax.xml.transform.Source source) throws javax.xml.transform.TransformerException {
		StringResult result = new StringResult();
		new TransformerHelper().transform(source, result);
		return result.toString();
	}

}
