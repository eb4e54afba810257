package io.github.cancellablesoap.test.http;

/**
 * The response that a {@link ServerConnection} holds for
 * {@link Behaviour#respondWhenReleased} until a test releases it, and the releases that
 * came before any response was held (stored as permits, so the next response goes at
 * once).
 * <p>
 * Thread-safe: the connection thread holds and waits, any test thread releases, and the
 * server's close ends every wait.
 */
final class HeldResponse {

	private final Object lock = new Object();

	private int permits;

	private State state = State.NONE;

	private byte[] response;

	private boolean closed;

	/**
	 * Hold a response, unless a release came first.
	 * @param response the bytes to send on release
	 * @return {@code true} when the response is held, {@code false} when a stored permit
	 * was used up and the caller must send the response now
	 */
	boolean hold(byte[] response) {
		synchronized (this.lock) {
			if (this.permits > 0) {
				this.permits--;
				return false;
			}
			this.response = response;
			this.state = State.HOLDING;
			return true;
		}
	}

	/**
	 * Take the held response for writing; {@link #written()} must follow. When none is
	 * held, store a permit instead.
	 * @return the response to write, or {@code null} when none was held
	 */
	byte[] take() {
		synchronized (this.lock) {
			if (this.state != State.HOLDING) {
				this.permits++;
				return null;
			}
			byte[] taken = this.response;
			this.response = null;
			this.state = State.WRITING;
			return taken;
		}
	}

	/**
	 * The taken response has been written (or writing failed).
	 */
	void written() {
		synchronized (this.lock) {
			this.state = State.NONE;
			this.lock.notifyAll();
		}
	}

	/**
	 * Wait until the held response has been taken and written, or the server closed the
	 * connection.
	 * @return whether to go on serving the connection
	 * @throws InterruptedException if the connection thread is interrupted
	 */
	boolean awaitWritten() throws InterruptedException {
		synchronized (this.lock) {
			while (this.state != State.NONE && !this.closed) {
				this.lock.wait();
			}
			return !this.closed;
		}
	}

	/**
	 * The server closed the connection: drop the held response and end every wait.
	 */
	void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.state = State.NONE;
			this.response = null;
			this.lock.notifyAll();
		}
	}

	private enum State {

		NONE, HOLDING, WRITING

	}

}
