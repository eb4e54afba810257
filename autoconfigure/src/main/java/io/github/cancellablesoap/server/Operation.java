package io.github.cancellablesoap.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.AbortInitiator;
import io.github.cancellablesoap.core.Ticker;

/**
 * One request being served by a host: its identity, its cancellation state and its
 * callbacks.
 * <p>
 * Thread-safe. The first {@link #cancel} wins; callbacks are swapped out under the lock
 * and run outside it. {@link #end} runs once, on the serving thread, after the serving
 * thread was {@link #detach() detached}; the first call decides the outcome and tells the
 * {@link OperationListener} that was current at admission. The answer and failure are
 * recorded on the serving thread.
 */
final class Operation implements OperationContext {

	static final ThreadLocal<@Nullable Operation> CURRENT = new ThreadLocal<>();

	private static final Log logger = LogFactory.getLog(Operation.class);

	private final String id;

	private final String host;

	private final Instant start;

	private final long startNanos;

	private final Ticker ticker;

	private final String callerAddress;

	private final @Nullable String callerCallId;

	private final @Nullable Instant deadline;

	private final CountDownLatch ended = new CountDownLatch(1);

	private final Object lock = new Object();

	private volatile String name = "?";

	private volatile @Nullable CancelReason reason;

	private @Nullable String cancelDetail;

	private @Nullable Consumer<CancelReason> cancelCallback;

	private boolean cancelCallbackRegistered;

	private int runningCancelCallbacks;

	private @Nullable Thread cancelCallbackThread;

	private @Nullable List<Runnable> completionCallbacks = new ArrayList<>();

	private @Nullable Thread thread;

	private volatile @Nullable Future<?> deadlineTask;

	private final OperationListener listener;

	private volatile @Nullable Object listenerState;

	private volatile @Nullable OperationOutcome answer;

	private volatile @Nullable Throwable failure;

	private volatile @Nullable String mappedName;

	Operation(String id, String host, Ticker ticker, String callerAddress, @Nullable String callerCallId,
			@Nullable Instant deadline) {
		this(id, host, ticker, callerAddress, callerCallId, deadline, OperationListener.NONE);
	}

	Operation(String id, String host, Ticker ticker, String callerAddress, @Nullable String callerCallId,
			@Nullable Instant deadline, OperationListener listener) {
		this.id = id;
		this.listener = listener;
		this.host = host;
		this.ticker = ticker;
		this.start = Instant.now();
		this.startNanos = ticker.nanoTime();
		this.callerAddress = callerAddress;
		this.callerCallId = callerCallId;
		this.deadline = deadline;
	}

	@Override
	public String operationId() {
		return this.id;
	}

	String host() {
		return this.host;
	}

	@Override
	public Optional<String> callerCallId() {
		return Optional.ofNullable(this.callerCallId);
	}

	@Override
	public Optional<Instant> deadline() {
		return Optional.ofNullable(this.deadline);
	}

	@Override
	public boolean isCancellationRequested() {
		return this.reason != null;
	}

	@Override
	public Optional<CancelReason> cancelReason() {
		return Optional.ofNullable(this.reason);
	}

	@Nullable String cancelDetail() {
		synchronized (this.lock) {
			return this.cancelDetail;
		}
	}

	void name(String name) {
		this.name = name;
	}

	void deadlineTask(Future<?> task) {
		this.deadlineTask = task;
	}

	/**
	 * Tell the listener that the operation starts; called once, by the host, right after
	 * admission.
	 */
	void started() {
		if (this.listener != OperationListener.NONE) {
			try {
				this.listenerState = this.listener
					.operationStarted(new OperationListener.StartedOperation(this.host, this.id, this.callerCallId));
			}
			catch (RuntimeException ex) {
				logger.warn("Operation listener of service host '" + this.host + "' failed", ex);
			}
		}
	}

	/**
	 * Whether an operation listener hears about this operation; when not, nothing needs
	 * to be recorded for it.
	 * @return {@code true} unless the listener is {@link OperationListener#NONE}
	 */
	boolean isListened() {
		return this.listener != OperationListener.NONE;
	}

	/**
	 * Record that a served endpoint was found for the request.
	 * @param name the operation's name as the mapping that matched it keys it, a bounded
	 * value fit for a metric tag
	 */
	void mapped(String name) {
		this.mappedName = name;
	}

	/**
	 * Record what the caller is answered: called on the serving thread once the answer is
	 * decided. From then on no cancellation wins: the answer is what the caller gets, so
	 * a caller that goes away, or a cancel that comes, while it is being written changes
	 * nothing. A completed or fault answer loses to a cancellation that came first.
	 * @param outcome the answer: completed, fault, cancelled or rejected
	 * @return {@code false} when a cancellation won before a completed or fault answer,
	 * which is then not recorded: the caller is to be answered as cancelled
	 */
	boolean answered(OperationOutcome outcome) {
		synchronized (this.lock) {
			if (this.reason != null && (outcome == OperationOutcome.COMPLETED || outcome == OperationOutcome.FAULT)) {
				return false;
			}
			this.answer = outcome;
			return true;
		}
	}

	/**
	 * Record the exception of an endpoint that an exception resolver may still turn into
	 * a fault.
	 * @param ex the exception
	 */
	void endpointFailed(Throwable ex) {
		this.failure = ex;
	}

	/**
	 * Record that serving the request failed; a cancellation or rejection already
	 * answered stays the outcome.
	 * @param ex the exception
	 */
	void failed(Throwable ex) {
		this.failure = ex;
		OperationOutcome current = this.answer;
		if (current != OperationOutcome.CANCELLED && current != OperationOutcome.REJECTED) {
			this.answer = OperationOutcome.FAILED;
		}
	}

	/**
	 * Cancel the operation unless it was cancelled before, was answered or has ended.
	 * @param why the reason
	 * @param detail free text for logs and the fault, or {@code null}
	 * @return {@code true} when this call won
	 */
	boolean cancel(CancelReason why, @Nullable String detail) {
		Consumer<CancelReason> callback;
		synchronized (this.lock) {
			if (this.reason != null || this.answer != null || this.completionCallbacks == null) {
				return false;
			}
			this.reason = why;
			this.cancelDetail = detail;
			callback = this.cancelCallback;
			this.cancelCallback = null;
			if (callback != null) {
				this.runningCancelCallbacks++;
				this.cancelCallbackThread = Thread.currentThread();
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Operation " + this.id + " of service host '" + this.host + "' cancelled: " + why
					+ ((detail != null) ? " (" + detail + ")" : ""));
		}
		if (this.listener != OperationListener.NONE) {
			notifyListener(() -> this.listener
				.aborted(new OperationListener.AbortEvent(this.host, "operation", category(why), initiator(why))));
		}
		if (callback != null) {
			runCancelCallback(callback, why);
		}
		return true;
	}

	@Override
	public void onCancel(Consumer<CancelReason> callback) {
		@Nullable CancelReason why;
		synchronized (this.lock) {
			if (this.cancelCallbackRegistered) {
				throw new IllegalStateException("Operation " + this.id + " already has a cancel callback");
			}
			this.cancelCallbackRegistered = true;
			why = this.reason;
			if (why == null) {
				this.cancelCallback = callback;
				return;
			}
			this.runningCancelCallbacks++;
			this.cancelCallbackThread = Thread.currentThread();
		}
		runCancelCallback(callback, why);
	}

	private void runCancelCallback(Consumer<CancelReason> callback, CancelReason why) {
		try {
			callback.accept(why);
		}
		catch (Throwable ex) {
			logger.warn("Cancel callback of operation " + this.id + " failed", ex);
		}
		finally {
			synchronized (this.lock) {
				this.runningCancelCallbacks--;
				this.cancelCallbackThread = null;
				this.lock.notifyAll();
			}
		}
	}

	@Override
	public void onComplete(Runnable callback) {
		synchronized (this.lock) {
			if (this.completionCallbacks != null) {
				this.completionCallbacks.add(callback);
				return;
			}
		}
		runCompletionCallback(callback);
	}

	private void runCompletionCallback(Runnable callback) {
		try {
			callback.run();
		}
		catch (Throwable ex) {
			logger.warn("Completion callback of operation " + this.id + " failed", ex);
		}
	}

	/**
	 * Attach the serving thread, so that an abort can interrupt it.
	 * @param serving the thread that runs the endpoint
	 */
	void attach(Thread serving) {
		synchronized (this.lock) {
			this.thread = serving;
		}
	}

	/**
	 * Detach the serving thread; once this returns no interrupt can reach it, and an
	 * interrupt that did is cleared so that the container's pooled thread is clean.
	 * @return whether the thread had been interrupted
	 */
	boolean detach() {
		synchronized (this.lock) {
			this.thread = null;
		}
		return Thread.interrupted();
	}

	/**
	 * Interrupt the serving thread if one is attached.
	 * @return {@code true} when a thread was interrupted
	 */
	boolean interrupt() {
		synchronized (this.lock) {
			if (this.thread == null) {
				return false;
			}
			this.thread.interrupt();
			return true;
		}
	}

	/**
	 * End the operation: no cancellation can win any more, so the outcome is decided;
	 * waits (bounded) for a cancel callback still running on another thread, tells the
	 * listener, then runs the completion callbacks. Only the first call does anything.
	 * @param callbackWait how long to wait for a running cancel callback
	 * @return {@code true} when this call ended the operation
	 */
	boolean end(Duration callbackWait) {
		Future<?> task = this.deadlineTask;
		if (task != null) {
			task.cancel(false);
		}
		List<Runnable> callbacks;
		@Nullable CancelReason why;
		boolean interrupted = false;
		synchronized (this.lock) {
			callbacks = this.completionCallbacks;
			if (callbacks == null) {
				return false;
			}
			this.completionCallbacks = null;
			why = this.reason;
			this.cancelCallback = null;
			long waitUntil = System.nanoTime() + callbackWait.toNanos();
			// the cancel callback itself may end the operation: never wait for oneself
			while (this.runningCancelCallbacks > 0 && this.cancelCallbackThread != Thread.currentThread()) {
				long remaining = waitUntil - System.nanoTime();
				if (remaining <= 0) {
					logger.warn("Cancel callback of operation " + this.id + " is still running; completing anyway");
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		try {
			if (this.listener != OperationListener.NONE) {
				notifyEnded(why);
			}
			callbacks.forEach(this::runCompletionCallback);
		}
		finally {
			this.ended.countDown();
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		return true;
	}

	private void notifyEnded(@Nullable CancelReason why) {
		OperationOutcome outcome = outcome(this.answer, why);
		OperationListener.EndedOperation ended = new OperationListener.EndedOperation(this.host, this.id,
				this.callerCallId, this.mappedName, outcome, (outcome == OperationOutcome.CANCELLED) ? why : null,
				this.ticker.nanoTime() - this.startNanos,
				(outcome == OperationOutcome.CANCELLED) ? null : this.failure);
		Object state = this.listenerState;
		notifyListener(() -> this.listener.operationEnded(ended, state));
	}

	/**
	 * The outcome of an ended operation: what it answered, else (it ended before an
	 * answer was decided) cancelled when it was cancelled and failed otherwise; an
	 * operation that failed after it was cancelled counts as cancelled.
	 */
	static OperationOutcome outcome(@Nullable OperationOutcome answer, @Nullable CancelReason reason) {
		if (answer == null || answer == OperationOutcome.FAILED) {
			return (reason != null) ? OperationOutcome.CANCELLED : OperationOutcome.FAILED;
		}
		return answer;
	}

	/**
	 * The bounded category of a cancel reason, as metrics tag it: {@code host-aborted},
	 * {@code caller-gone}...
	 */
	static String category(CancelReason reason) {
		return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String initiator(CancelReason reason) {
		return switch (reason) {
			case OPERATOR -> AbortInitiator.current();
			case CALLER_GONE, CALLER_CANCELLED -> "caller";
			case HOST_ABORTED, HOST_CLOSE_TIMED_OUT, DEADLINE_EXCEEDED -> "host";
		};
	}

	private void notifyListener(Runnable notification) {
		try {
			notification.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Operation listener of service host '" + this.host + "' failed", ex);
		}
	}

	/**
	 * Wait until the operation has ended.
	 * @param deadlineNanos the {@link System#nanoTime()} reading to give up at
	 * @return {@code true} when it ended
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	boolean awaitEnd(long deadlineNanos) throws InterruptedException {
		return this.ended.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	boolean hasEnded() {
		return this.ended.getCount() == 0;
	}

	OperationInfo info() {
		CancelReason why = this.reason;
		return new OperationInfo(this.id, this.host, this.name, this.start,
				Duration.ofNanos(this.ticker.nanoTime() - this.startNanos), this.callerAddress, this.callerCallId,
				this.deadline, why != null, why);
	}

}
