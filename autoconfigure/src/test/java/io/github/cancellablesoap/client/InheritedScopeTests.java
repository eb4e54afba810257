package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.core.WebServiceOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Calls made while a {@link CancellationScope} is current (as a server operation's is on
 * its serving thread) inherit its deadline and are aborted with it; detached calls are
 * not; calls that end leave nothing on the scope. The scopes here are plain core scopes:
 * the client knows nothing of the server.
 */
class InheritedScopeTests {

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serving(Behaviour.hangBeforeHeaders());

	private final List<CallListener.AbortEvent> aborts = new CopyOnWriteArrayList<>();

	private DefaultServiceProxy proxy() {
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.callTimeout(CALL_TIMEOUT));
		proxy.setCallListener(new CallListener() {

			@Override
			public void aborted(AbortEvent event) {
				InheritedScopeTests.this.aborts.add(event);
			}

		});
		return proxy;
	}

	@Test
	void aCallInsideAScopeWithADeadlineSendsWhatIsLeftAndTimesOutWithIt() {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-7")
			.withDeadline(Duration.ofMillis(1500), "DEADLINE_EXCEEDED", "budget ran out", this.fixture.timer());
		long start = System.nanoTime();
		try (CancellationScope.Attachment attached = scope.attach()) {
			assertThatExceptionOfType(CallTimedOutException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
				.satisfies((ex) -> {
					assertThat(ex.getInheritedFrom()).isEqualTo("operation o-7");
					assertThat(ex.getTimeout()).isLessThanOrEqualTo(Duration.ofMillis(1500));
					assertThat(ex.getMessage()).contains("inherited from upstream operation o-7");
				});
		}
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(elapsedMillis).as("timed out near the inherited deadline, not the 30 s call timeout")
			.isBetween(1000L, 10_000L);
		ServerConnection connection = this.fixture.awaitRequest(0);
		long budget = Long.parseLong(connection.requestHeader("Soap-Call-Timeout"));
		assertThat(budget).isBetween(1L, 1500L);
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("timeout-action abort").isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(scope.waiting()).as("nothing of the call left on the scope").isZero();
	}

	@Test
	void aCallsOwnShorterTimeoutIsNotCalledInherited() {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-8")
			.withDeadline(Duration.ofSeconds(20), "DEADLINE_EXCEEDED", null, this.fixture.timer());
		try (CancellationScope.Attachment attached = scope.attach()) {
			assertThatExceptionOfType(CallTimedOutException.class)
				.isThrownBy(() -> ProxyFixture.echo(proxy.withCallTimeout(Duration.ofMillis(300))))
				.satisfies((ex) -> {
					assertThat(ex.getInheritedFrom()).isNull();
					assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
					assertThat(ex.getMessage()).doesNotContain("inherited");
				});
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(scope.waiting()).isZero();
		assertThat(scope.isOpen()).isTrue();
	}

	@Test
	void cancellingTheScopeAbortsACallOnTheWireNamingTheCauseAndClosesItsSocket() throws Exception {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.root(Ticker.SYSTEM, "operation o-9");
		Future<String> caller = this.fixture.threads().submit(scope.wrap(() -> ProxyFixture.echo(proxy)));
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(scope.waiting()).as("the call listens to the scope").isEqualTo(1);
		assertThat(scope.cancel("HOST_ABORTED", "service host 'relay' aborted")).isTrue();
		assertThat(caller).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(CallAbortedException.class, (ex) -> assertThat(ex.getReason())
				.isEqualTo("upstream operation o-9 was cancelled (HOST_ABORTED: service host 'relay' aborted)"));
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(this.aborts).singleElement().satisfies((event) -> {
			assertThat(event.target()).isEqualTo("call");
			assertThat(event.reason()).isEqualTo("upstream-cancelled");
			assertThat(event.initiator()).isEqualTo("upstream");
			assertThat(event.cancelledIo()).isTrue();
		});
	}

	@Test
	void aCallOnAnAlreadyCancelledScopeFailsAtOnceAsAbortedWithoutIo() {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.root(Ticker.SYSTEM, "operation o-10");
		scope.cancel("CALLER_GONE", null);
		try (CancellationScope.Attachment attached = scope.attach()) {
			assertThatExceptionOfType(CallAbortedException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
				.satisfies((ex) -> assertThat(ex.getReason())
					.isEqualTo("upstream operation o-10 was cancelled (CALLER_GONE)"));
		}
		assertThat(proxy.pendingCalls()).isZero();
		assertThat(this.fixture.server().connections()).as("no I/O").isEmpty();
		assertThat(this.aborts).singleElement()
			.satisfies((event) -> assertThat(event.cancelledIo()).as("no I/O to cancel").isFalse());
	}

	@Test
	void aCallOnAScopeWhoseDeadlinePassedTimesOutAtOnceWithoutIo() {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-15")
			.withDeadline(Duration.ZERO, "DEADLINE_EXCEEDED", "budget ran out", this.fixture.timer());
		try (CancellationScope.Attachment attached = scope.attach()) {
			assertThatExceptionOfType(CallTimedOutException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
				.satisfies((ex) -> assertThat(ex.getInheritedFrom()).isEqualTo("operation o-15"));
		}
		assertThat(proxy.pendingCalls()).isZero();
		assertThat(this.fixture.server().connections()).as("no I/O").isEmpty();
	}

	@Test
	void aSubmittedCallFollowsTheScopeCurrentWhereItWasSubmitted() throws Exception {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.root(Ticker.SYSTEM, "operation o-11");
		PendingCall<String> call;
		try (CancellationScope.Attachment attached = scope.attach()) {
			call = this.fixture.submit(proxy);
		}
		ServerConnection connection = this.fixture.awaitRequest(0);
		scope.cancel("OPERATOR", "stuck");
		ProxyFixture.assertFailsWith(call, Duration.ofSeconds(5), CallAbortedException.class,
				"upstream operation o-11 was cancelled (OPERATOR: stuck)");
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aDetachedCallIsNeitherShortenedNorAbortedByTheScope() throws Exception {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-12")
			.withDeadline(Duration.ofSeconds(2), "DEADLINE_EXCEEDED", null, this.fixture.timer());
		Future<String> viaView = this.fixture.threads().submit(scope.wrap(() -> ProxyFixture.echo(proxy.detached())));
		PendingCall<String> viaCore;
		try (CancellationScope.Attachment attached = scope.attach()) {
			viaCore = CancellationScope.detached(() -> this.fixture.submit(proxy));
		}
		ServerConnection first = this.fixture.awaitRequest(0);
		ServerConnection second = this.fixture.awaitRequest(1);
		for (ServerConnection connection : List.of(first, second)) {
			assertThat(Long.parseLong(connection.requestHeader("Soap-Call-Timeout"))).as("the proxy's own budget")
				.isGreaterThan(20_000L);
		}
		assertThat(scope.waiting()).as("detached calls do not listen").isZero();
		scope.cancel("OPERATOR", "stop");
		PendingCall<String> detachedCall = viaCore;
		// a wrongly cascaded abort would show within a second
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			assertThat(proxy.pendingCalls()).isEqualTo(2);
			assertThat(first.isClosedByPeer() || second.isClosedByPeer()).isFalse();
			assertThat(viaView).isNotDone();
			assertThat(detachedCall.result()).isNotDone();
		});
		assertThat(proxy.abortCall(viaCore.callId(), "test over")).isTrue();
		for (CallInfo call : proxy.calls()) {
			proxy.abortCall(call.id(), "test over");
		}
		assertThat(viaView).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(CallAbortedException.class)
			.withMessageContaining("test over");
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
	}

	@Test
	void callsThatEndLeaveNoListenerOnALongLivedScope() {
		ScriptedHttpServer echo = this.fixture.closeAfter(ScriptedHttpServer
			.start(Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE, ProxyFixture.echoResponse())));
		DefaultServiceProxy proxy = this.fixture.open(echo.uri("/ws"),
				(settings) -> settings.callTimeout(CALL_TIMEOUT));
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-13")
			.withDeadline(Duration.ofMinutes(5), "DEADLINE_EXCEEDED", null, this.fixture.timer());
		WebServiceOperations shortOnes = proxy.withCallTimeout(Duration.ofSeconds(20));
		try (CancellationScope.Attachment attached = scope.attach()) {
			for (int i = 0; i < 200; i++) {
				assertThat(ProxyFixture.echo((i % 2 == 0) ? proxy : shortOnes)).contains("echoResponse");
			}
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> proxy.pendingCalls() == 0);
		assertThat(scope.waiting()).isZero();
		assertThat(scope.isOpen()).isTrue();
	}

	@Test
	void aCallAfterTheScopeEndedInheritsNothing() {
		DefaultServiceProxy proxy = proxy();
		CancellationScope<String> scope = CancellationScope.<String>root(Ticker.SYSTEM, "operation o-14")
			.withDeadline(Duration.ofMillis(200), "DEADLINE_EXCEEDED", null, this.fixture.timer());
		scope.end();
		PendingCall<String> call;
		try (CancellationScope.Attachment attached = scope.attach()) {
			call = this.fixture.submit(proxy);
		}
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(Long.parseLong(connection.requestHeader("Soap-Call-Timeout"))).isGreaterThan(20_000L);
		assertThat(proxy.abortCall(call.callId(), "test over")).isTrue();
	}

}
