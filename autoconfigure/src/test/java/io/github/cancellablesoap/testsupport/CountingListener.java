package io.github.cancellablesoap.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.server.OperationListener;
import org.jspecify.annotations.Nullable;

/**
 * A listener for either side of a call that counts what it hears: calls or operations
 * started and ended, and aborts of their proxy or host.
 * <p>
 * Thread-safe: every hook may be called from any thread, and the counts read from any
 * other.
 *
 * @author Cancellable SOAP
 */
public final class CountingListener implements CallListener, OperationListener {

	/** Calls or operations started. */
	public final AtomicInteger started = new AtomicInteger();

	/** Calls or operations ended. */
	public final AtomicInteger ended = new AtomicInteger();

	/** Aborts of the proxy or host. */
	public final AtomicInteger aborts = new AtomicInteger();

	@Override
	public @Nullable Object callStarted(StartedCall call) {
		this.started.incrementAndGet();
		return null;
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		this.started.incrementAndGet();
		return null;
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		this.ended.incrementAndGet();
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		this.ended.incrementAndGet();
	}

	@Override
	public void aborted(CallListener.AbortEvent event) {
		this.aborts.incrementAndGet();
	}

	@Override
	public void aborted(OperationListener.AbortEvent event) {
		this.aborts.incrementAndGet();
	}

}
