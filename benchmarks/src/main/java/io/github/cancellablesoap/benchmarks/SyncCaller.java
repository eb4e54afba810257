package io.github.cancellablesoap.benchmarks;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.CurrentCall;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * A dedicated caller thread for {@link ReleaseLatencyBenchmark}: it takes one
 * {@link Attempt} at a time and makes its call synchronously, so that no pool hand-off
 * happens inside a measurement.
 * <p>
 * Thread-safe: {@link #call()} and {@link #stop()} may be called from any thread.
 */
final class SyncCaller implements Runnable {

	private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();

	private final WebServiceOperations operations;

	private final String request;

	private final Thread thread;

	SyncCaller(String name, WebServiceOperations operations, String request) {
		this.operations = operations;
		this.request = request;
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	String name() {
		return this.thread.getName();
	}

	/**
	 * Have the thread make one call.
	 * @return the call's progress
	 */
	Attempt call() {
		Attempt attempt = new Attempt();
		this.attempts.add(attempt);
		return attempt;
	}

	void stop() {
		this.thread.interrupt();
	}

	@Override
	public void run() {
		try {
			while (true) {
				this.attempts.take().run(this.operations, this.request);
			}
		}
		catch (InterruptedException ex) {
			// stopped
		}
	}

	/**
	 * One synchronous call: it publishes its call id from the request callback (on the
	 * caller's thread, inside the proxy call) and its release time from its catch block.
	 */
	static final class Attempt {

		final CompletableFuture<String> callId = new CompletableFuture<>();

		final CompletableFuture<Release> released = new CompletableFuture<>();

		private void run(WebServiceOperations operations, String request) {
			try {
				operations.sendSourceAndReceiveToResult(new StringSource(request), (message) -> {
					CarriedCall call = CurrentCall.get();
					if (call != null) {
						this.callId.complete(call.callId());
					}
					else {
						this.callId.completeExceptionally(new IllegalStateException("no proxy call on this thread"));
					}
				}, new StringResult());
				this.released.complete(new Release(System.nanoTime(), null));
			}
			catch (RuntimeException ex) {
				// Expected: CallAbandonedException or CallAbortedException; checked
				// later.
				long t1 = System.nanoTime();
				this.released.complete(new Release(t1, ex));
			}
			this.callId.completeExceptionally(new IllegalStateException("the call ended before its request was built: "
					+ this.released.getNow(new Release(0, null)).thrown()));
		}

	}

	/**
	 * When a caller got out of its call, and with what.
	 *
	 * @param nanos {@link System#nanoTime()} in the caller's catch block
	 * @param thrown the exception, or {@code null} when the call returned
	 */
	record Release(long nanos, RuntimeException thrown) {

	}

}
