package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.HangingConnectTarget;
import io.github.cancellablesoap.testsupport.TcpSocket;
import io.github.cancellablesoap.testsupport.TcpSockets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every way of cancelling a call, in every phase of its exchange: the caller's exception,
 * how promptly it is released, what the registry shows, and whether the socket was
 * closed, watched from the server side.
 */
class CancellationMatrixTests {

	private static final Duration RELEASE_BOUND = Duration.ofSeconds(1);

	/**
	 * Long enough to see the call reach its phase on a loaded machine before it times
	 * out.
	 */
	private static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration ABANDONED_IO_TIMEOUT = Duration.ofMillis(1200);

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.serverless();

	private ScriptedHttpServer server;

	private HangingConnectTarget hangingTarget;

	@ParameterizedTest(name = "{0} while waiting for the response headers")
	@EnumSource(Mode.class)
	void cancelsACallWaitingForItsResponseHeaders(Mode mode) throws Exception {
		this.server = this.fixture.closeAfter(ScriptedHttpServer.start(Behaviour.hangBeforeHeaders()));
		DefaultServiceProxy proxy = open(this.server.uri("/ws"), mode);
		long submitted = System.nanoTime();
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = this.server.awaitConnection(0, Duration.ofSeconds(5));
		assertThat(connection.awaitRequest(Duration.ofSeconds(5))).isTrue();
		awaitPhase(proxy, call, CallPhase.WAITING_FOR_RESPONSE);
		long start = System.nanoTime();
		CallInfo cancelled = cancel(mode, proxy, call);
		assertReleased(mode, call, start);
		assertRegistryAfterRelease(mode, proxy, call);
		assertServerSide(mode, connection, ioLimitFrom(mode, submitted, start));
		if (cancelled != null) {
			assertThat(cancelled.channelId()).isNotNull();
		}
		assertProxyAfter(mode, proxy);
	}

	@ParameterizedTest(name = "{0} while the response body is stalled")
	@EnumSource(Mode.class)
	void cancelsACallWhoseResponseBodyStalled(Mode mode) throws Exception {
		String partial = ProxyFixture.echoResponse().substring(0, 40);
		this.server = this.fixture.closeAfter(
				ScriptedHttpServer.start(Behaviour.stallBody(200, ProxyFixture.SOAP_CONTENT_TYPE, 4096, partial)));
		DefaultServiceProxy proxy = open(this.server.uri("/ws"), mode);
		long submitted = System.nanoTime();
		PendingCall<String> call = this.fixture.submit(proxy);
		ServerConnection connection = this.server.awaitConnection(0, Duration.ofSeconds(5));
		awaitPhase(proxy, call, CallPhase.RECEIVING);
		long start = System.nanoTime();
		cancel(mode, proxy, call);
		assertReleased(mode, call, start);
		assertRegistryAfterRelease(mode, proxy, call);
		assertServerSide(mode, connection, ioLimitFrom(mode, submitted, start));
		assertProxyAfter(mode, proxy);
	}

	@ParameterizedTest(name = "{0} while connecting")
	@EnumSource(Mode.class)
	void cancelsACallWhoseConnectHangs(Mode mode) throws Exception {
		this.hangingTarget = this.fixture.closeAfter(HangingConnectTarget.open());
		int port = this.hangingTarget.port();
		DefaultServiceProxy proxy = open(this.hangingTarget.uri("/ws"), mode);
		long submitted = System.nanoTime();
		PendingCall<String> call = this.fixture.submit(proxy);
		awaitPhase(proxy, call, CallPhase.CONNECTING);
		await().atMost(Duration.ofSeconds(5)).until(() -> TcpSockets.countOwn(port, TcpSocket.State.SYN_SENT) == 1);
		long start = System.nanoTime();
		cancel(mode, proxy, call);
		assertReleased(mode, call, start);
		assertRegistryAfterRelease(mode, proxy, call);
		if (mode.abortsIo()) {
			await().atMost(Duration.ofSeconds(5)).until(() -> TcpSockets.countOwn(port, TcpSocket.State.SYN_SENT) == 0);
		}
		else {
			assertThat(TcpSockets.countOwn(port, TcpSocket.State.SYN_SENT)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> TcpSockets.countOwn(port, TcpSocket.State.SYN_SENT) == 0);
			assertThat(System.nanoTime() - ioLimitFrom(mode, submitted, start))
				.isGreaterThanOrEqualTo(ABANDONED_IO_TIMEOUT.toNanos());
		}
		assertProxyAfter(mode, proxy);
	}

	private DefaultServiceProxy open(URI address, Mode mode) {
		return this.fixture.open(address,
				(settings) -> settings.callTimeout(mode.timesOut() ? CALL_TIMEOUT : Duration.ofSeconds(30))
					.timeoutAction((mode == Mode.TIMEOUT_WITH_ABANDON) ? TimeoutAction.ABANDON : TimeoutAction.ABORT)
					.abandonedIoTimeout(ABANDONED_IO_TIMEOUT)
					.connectTimeout(Duration.ofSeconds(30)));
	}

	private void awaitPhase(ServiceProxy proxy, PendingCall<String> call, CallPhase phase) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> proxy.call(call.callId()).map(CallInfo::phase).orElse(null) == phase);
	}

	private @Nullable CallInfo cancel(Mode mode, ServiceProxy proxy, PendingCall<String> call) {
		CallInfo info = proxy.call(call.callId()).orElse(null);
		assertThat(info != null || mode.timesOut()).as("the call is in flight when the verb is applied").isTrue();
		switch (mode) {
			case ABANDON -> assertThat(proxy.abandon(call.callId())).isTrue();
			case ABORT_CALL -> assertThat(proxy.abortCall(call.callId(), "operator")).isTrue();
			case ABORT_PROXY -> assertThat(proxy.abort("operator")).isTrue();
			default -> assertThat(mode.timesOut()).as("the timeout fires by itself").isTrue();
		}
		return info;
	}

	private void assertReleased(Mode mode, PendingCall<String> call, long start) throws Exception {
		Duration bound = mode.timesOut() ? CALL_TIMEOUT.plus(RELEASE_BOUND) : RELEASE_BOUND;
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> call.result().get(bound.toNanos(), TimeUnit.NANOSECONDS))
			.havingCause()
			.isInstanceOf(mode.exception())
			.satisfies((ex) -> assertThat(((ServiceCallException) ex).getCallId()).isEqualTo(call.callId()))
			.satisfies((ex) -> {
				if (mode == Mode.ABORT_CALL || mode == Mode.ABORT_PROXY) {
					assertThat(ex).hasMessageEndingWith(": operator");
				}
			});
		assertThat(System.nanoTime() - start).isLessThan(bound.toNanos());
	}

	private void assertRegistryAfterRelease(Mode mode, ServiceProxy proxy, PendingCall<String> call) {
		if (mode.abortsIo()) {
			await().atMost(Duration.ofSeconds(5)).until(() -> proxy.call(call.callId()).isEmpty());
			assertThat(proxy.pendingCalls()).isZero();
		}
		else {
			CallInfo info = proxy.call(call.callId()).orElseThrow();
			assertThat(info.abandoned()).isTrue();
			assertThat(info.outcome()).isEqualTo(mode.outcome());
			assertThat(proxy.pendingCalls()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.call(call.callId()).isEmpty());
			assertThat(proxy.pendingCalls()).isZero();
		}
	}

	private void assertServerSide(Mode mode, ServerConnection connection, long ioLimitFrom) {
		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(10))).isTrue();
		if (!mode.abortsIo()) {
			assertThat(connection.closedByPeerNanos() - ioLimitFrom)
				.isGreaterThanOrEqualTo(ABANDONED_IO_TIMEOUT.toNanos());
		}
	}

	/**
	 * A time no later than the abandon that started the abandoned-I/O limit: the verb's
	 * start, or for a timeout (which may fire before the test reaches its verb on a slow
	 * machine) the earliest the call could have timed out.
	 */
	private static long ioLimitFrom(Mode mode, long submitted, long start) {
		return mode.timesOut() ? submitted + CALL_TIMEOUT.toNanos() : start;
	}

	private void assertProxyAfter(Mode mode, ServiceProxy proxy) {
		if (mode == Mode.ABORT_PROXY) {
			assertThat(proxy.state()).isEqualTo(ProxyState.FAULTED);
			assertThatExceptionOfType(CallRejectedException.class).isThrownBy(() -> ProxyFixture.echo(proxy))
				.withMessageContaining("'test' is FAULTED");
		}
		else {
			assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		}
	}

	enum Mode {

		ABANDON(CallAbandonedException.class, CallOutcome.ABANDONED),

		ABORT_CALL(CallAbortedException.class, CallOutcome.ABORTED),

		ABORT_PROXY(CallAbortedException.class, CallOutcome.ABORTED),

		TIMEOUT_WITH_ABORT(CallTimedOutException.class, CallOutcome.TIMED_OUT),

		TIMEOUT_WITH_ABANDON(CallTimedOutException.class, CallOutcome.TIMED_OUT);

		private final Class<? extends ServiceCallException> exception;

		private final CallOutcome outcome;

		Mode(Class<? extends ServiceCallException> exception, CallOutcome outcome) {
			this.exception = exception;
			this.outcome = outcome;
		}

		Class<? extends ServiceCallException> exception() {
			return this.exception;
		}

		CallOutcome outcome() {
			return this.outcome;
		}

		boolean timesOut() {
			return this == TIMEOUT_WITH_ABORT || this == TIMEOUT_WITH_ABANDON;
		}

		boolean abortsIo() {
			return this != ABANDON && this != TIMEOUT_WITH_ABANDON;
		}

	}

}
