package io.github.cancellablesoap.server;

import org.jspecify.annotations.Nullable;

/**
 * An operation listener that fails at every hook, as a buggy meter binding would; the
 * tests use it to show that a host, and a composite, break nothing else for it.
 */
final class ThrowingOperationListener implements OperationListener {

	@Override
	public void operationRejected(Rejection rejection) {
		throw new IllegalStateException("listener bug");
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		throw new IllegalStateException("listener bug");
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		throw new IllegalStateException("listener bug");
	}

	@Override
	public void aborted(AbortEvent event) {
		throw new IllegalStateException("listener bug");
	}

}
