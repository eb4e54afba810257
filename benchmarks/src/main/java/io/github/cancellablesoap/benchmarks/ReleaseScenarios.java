package io.github.cancellablesoap.benchmarks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.cancellablesoap.benchmarks.Anomalies.BrokenRun;
import io.github.cancellablesoap.benchmarks.SyncCaller.Attempt;
import io.github.cancellablesoap.benchmarks.SyncCaller.Release;
import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceCallException;

/**
 * The scenarios of {@link ReleaseLatencyBenchmark}: single calls released by
 * {@code abandon} or {@code abortCall}, and several pending calls released by the proxy's
 * {@code abort}. Each iteration checks its outcome (exception type, call id, reason,
 * socket state) and records what went wrong as an anomaly; every wait is bounded by 10
 * seconds.
 * <p>
 * Not thread-safe: driven by the benchmark's main thread (the callers run on their own).
 */
final class ReleaseScenarios {

	static final String REASON = "bench";

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final DefaultServiceProxy proxy;

	private final LoopbackServer server;

	private final Anomalies anomalies = new Anomalies();

	ReleaseScenarios(DefaultServiceProxy proxy, LoopbackServer server) {
		this.proxy = proxy;
		this.server = server;
	}

	/**
	 * What went wrong so far.
	 * @return the anomalies, to which the benchmark adds its own
	 */
	Anomalies anomalies() {
		return this.anomalies;
	}

	/**
	 * One caller, one call at a time: wait until it waits for the response, apply the
	 * verb, measure the release (and, for an abort, the server-side close), clean up.
	 * @param caller the caller
	 * @param abandon {@code abandon} when {@code true}, {@code abortCall} otherwise
	 * @param count how many iterations
	 * @param released the release latencies, or {@code null} for a warm-up
	 * @param closed the close latencies of {@code abortCall}, or {@code null}
	 */
	void singleCalls(SyncCaller caller, boolean abandon, int count, Samples released, Samples closed) {
		for (int i = 0; i < count; i++) {
			Attempt attempt = caller.call();
			String id = awaitCallId(attempt);
			LoopbackServer.Exchange exchange = this.server.exchange(id);
			try {
				if (!awaitWaiting(id, exchange)) {
					continue;
				}
				long t0 = System.nanoTime();
				boolean acted = abandon ? this.proxy.abandon(id) : this.proxy.abortCall(id, REASON);
				Release release = awaitRelease(attempt, id);
				if (!acted) {
					this.anomalies.add((abandon ? "ABANDON" : "ABORT_CALL") + " of call " + id + " returned false");
				}
				else if (release != null && abandon) {
					checkAbandoned(id, exchange, release, t0, released);
				}
				else if (release != null && checkRelease(release, id, CallAbortedException.class, REASON)) {
					Long closedAt = awaitClosed(id, exchange);
					if (closedAt != null && released != null) {
						released.add(release.nanos() - t0);
						closed.add(closedAt - t0);
					}
				}
			}
			finally {
				settle(List.of(caller), List.of(attempt), List.of(id));
			}
		}
	}

	private void checkAbandoned(String id, LoopbackServer.Exchange exchange, Release release, long t0,
			Samples released) {
		if (!checkRelease(release, id, CallAbandonedException.class, null)) {
			return;
		}
		if (exchange.closed.isDone()) {
			this.anomalies.add("abandon of call " + id + " closed its connection; the I/O should go on");
			return;
		}
		Optional<CallInfo> info = this.proxy.call(id);
		if (info.isEmpty() || !info.get().abandoned()) {
			this.anomalies.add("abandoned call " + id + " is not listed as abandoned: " + info);
			return;
		}
		if (released != null) {
			released.add(release.nanos() - t0);
		}
		// The abandoned I/O goes on; end it so that sockets do not pile up.
		if (!this.proxy.abortCall(id, "bench cleanup")) {
			this.anomalies.add("abortCall of abandoned call " + id + " did not cancel its I/O");
		}
		awaitClosed(id, exchange);
	}

	/**
	 * K callers, one call each: wait until all wait for their responses, abort the proxy,
	 * measure the release of every caller and the close of every socket, then reset and
	 * reopen the proxy.
	 * @param callers the callers
	 * @param repetitions how many times
	 * @param first the first release per repetition, or {@code null} for a warm-up
	 * @param allReleased the last release per repetition
	 * @param allClosed the last close seen by the server per repetition
	 */
	void proxyAborts(List<SyncCaller> callers, int repetitions, Samples first, Samples allReleased, Samples allClosed) {
		for (int rep = 0; rep < repetitions; rep++) {
			List<Attempt> attempts = callers.stream().map(SyncCaller::call).toList();
			List<String> ids = attempts.stream().map(this::awaitCallId).toList();
			try {
				boolean ready = true;
				for (String id : ids) {
					ready &= awaitWaiting(id, this.server.exchange(id));
				}
				if (!ready) {
					continue;
				}
				long t0 = System.nanoTime();
				boolean valid = this.proxy.abort(REASON);
				if (!valid) {
					this.anomalies.add("abort of the proxy returned false (state " + this.proxy.state() + ")");
				}
				Samples releases = new Samples();
				Samples closes = new Samples();
				for (int i = 0; i < ids.size(); i++) {
					Release release = awaitRelease(attempts.get(i), ids.get(i));
					valid &= release != null && checkRelease(release, ids.get(i), CallAbortedException.class, REASON);
					if (release != null) {
						releases.add(release.nanos() - t0);
					}
				}
				for (String id : ids) {
					Long closedAt = awaitClosed(id, this.server.exchange(id));
					valid &= closedAt != null;
					if (closedAt != null) {
						closes.add(closedAt - t0);
					}
				}
				if (this.proxy.state() != ProxyState.FAULTED) {
					this.anomalies.add("proxy is " + this.proxy.state() + " after abort, not FAULTED");
					valid = false;
				}
				if (valid && first != null) {
					first.add(releases.percentile(0));
					allReleased.add(releases.percentile(1));
					allClosed.add(closes.percentile(1));
				}
			}
			finally {
				this.proxy.abort("bench cleanup");
				settle(callers, attempts, ids);
				this.proxy.reset();
				this.proxy.open();
			}
		}
	}

	private String awaitCallId(Attempt attempt) {
		return awaitDone(attempt.callId, "the caller did not start a proxy call within 10 s",
				"the caller did not start a proxy call", true);
	}

	private boolean awaitWaiting(String id, LoopbackServer.Exchange exchange) {
		boolean waiting = await(
				() -> this.proxy.call(id).map((info) -> info.phase() == CallPhase.WAITING_FOR_RESPONSE).orElse(false));
		if (!waiting) {
			this.anomalies
				.add("call " + id + " did not reach WAITING_FOR_RESPONSE within 10 s: " + this.proxy.call(id));
			return false;
		}
		if (!await(exchange.received::isDone)) {
			this.anomalies.add("the server did not receive the request of call " + id + " within 10 s");
			return false;
		}
		return true;
	}

	private Release awaitRelease(Attempt attempt, String id) {
		return awaitDone(attempt.released, "the caller of call " + id + " was not released within 10 s",
				"the caller of call " + id + " broke", false);
	}

	private Long awaitClosed(String id, LoopbackServer.Exchange exchange) {
		return awaitDone(exchange.closed, "the server did not see the connection of call " + id + " close within 10 s",
				"the server broke on call " + id, false);
	}

	/**
	 * Wait at most 10 s for a future; a timeout or a failure is an anomaly, or stops the
	 * run when {@code fatal}.
	 */
	private <T> T awaitDone(CompletableFuture<T> future, String late, String broke, boolean fatal) {
		String problem;
		try {
			return future.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			problem = late;
		}
		catch (ExecutionException ex) {
			problem = broke + ": " + ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokenRun("interrupted");
		}
		if (fatal) {
			throw new BrokenRun(problem);
		}
		this.anomalies.add(problem);
		return null;
	}

	private boolean checkRelease(Release release, String id, Class<? extends ServiceCallException> expected,
			String reason) {
		RuntimeException thrown = release.thrown();
		String problem = null;
		if (thrown == null) {
			problem = "call " + id + " returned normally; the server never answers";
		}
		else if (thrown.getClass() != expected) {
			problem = "call " + id + " threw " + thrown + ", expected " + expected.getSimpleName();
		}
		else if (thrown instanceof ServiceCallException cancelled
				&& (!id.equals(cancelled.getCallId()) || !this.proxy.name().equals(cancelled.getProxyName()))) {
			problem = "call " + id + " was released with the exception of call " + cancelled.getCallId() + " on proxy '"
					+ cancelled.getProxyName() + "'";
		}
		else if (reason != null && thrown instanceof CallAbortedException aborted
				&& !reason.equals(aborted.getReason())) {
			problem = "call " + id + " was aborted with reason '" + aborted.getReason() + "', expected '" + reason
					+ "'";
		}
		if (problem != null) {
			this.anomalies.add(problem);
		}
		return problem == null;
	}

	/**
	 * Make sure that the calls of one iteration are over before the next starts: every
	 * caller released, every socket closed, no call left in the proxy.
	 */
	private void settle(List<SyncCaller> callers, List<Attempt> attempts, List<String> ids) {
		for (int i = 0; i < attempts.size(); i++) {
			String id = ids.get(i);
			if (!attempts.get(i).released.isDone()) {
				this.proxy.abortCall(id, "bench recovery");
				if (awaitRelease(attempts.get(i), id) == null) {
					throw new BrokenRun("caller " + callers.get(i).name() + " is stuck in call " + id);
				}
			}
			LoopbackServer.Exchange exchange = this.server.exchange(id);
			if (!exchange.closed.isDone()) {
				this.proxy.abortCall(id, "bench recovery");
				if (awaitClosed(id, exchange) == null) {
					throw new BrokenRun("the connection of call " + id + " stays open");
				}
			}
			if (!await(() -> this.proxy.call(id).isEmpty())) {
				this.anomalies.add("call " + id + " is still listed 10 s after it ended: " + this.proxy.call(id));
				throw new BrokenRun("call " + id + " is never removed");
			}
			this.server.forget(id);
		}
		if (!await(() -> this.server.openConnections() == 0)) {
			throw new BrokenRun(this.server.openConnections() + " connections stay open between iterations");
		}
	}

	/**
	 * Wait for a condition: spin briefly, then park with a growing back-off of at most
	 * 100 microseconds; give up after 10 seconds.
	 */
	private static boolean await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT_NANOS;
		int spins = 0;
		long park = 1_000;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return condition.getAsBoolean();
			}
			if (spins < 100) {
				spins++;
				Thread.onSpinWait();
			}
			else {
				LockSupport.parkNanos(park);
				park = Math.min(park * 2, 100_000);
			}
		}
		return true;
	}

}
