package io.github.cancellablesoap.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.CancellationScope.Cancellation;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;

/**
 * One request being served by a host: its identity, the host's bookkeeping about it
 * (serving thread, answer, failure, listener state) and, in its
 * {@link CancellationScope}, its cancellation.
 * <p>
 * Thread-safe. Whether a cancellation wins is decided once, by the scope: the first
 * {@link #cancel} wins unless the operation was answered ({@link #answered},
 * {@link #seal}, {@link #failed}) or ended, each of which ends the scope. The scope's
 * first listener reports the cancellation on the cancelling thread, which never runs
 * application code: the {@link OperationCallbacks callback lane} runs the cancel callback
 * and later the completion callbacks on the callback executor, in that order;
 * {@link OperationEvents} tells the operation listener.
 * <p>
 * {@link #end} runs once, on the serving thread, after the serving thread was
 * {@link #detach() detached}; the first call decides the outcome and tells the
 * {@link OperationListener} that was current at admission (synchronously: listeners are
 * the product's meters and observations). The answer and failure are recorded on the
 * serving thread.
 * <p>
 * A little over 300 lines: most of it is the javadoc of the entry points the host's
 * intake, dispatcher and servlet call; the parts with logic of their own live in the
 * classes named above.
 */
final class Operation implements OperationContext {

	/** The operation the current thread serves: set by the host around the dispatch. */
	static final ThreadLocal<@Nullable Operation> CURRENT = new ThreadLocal<>();

	/** The operation whose context the application attached to the current thread. */
	private static final ThreadLocal<@Nullable Operation> CARRIED = new ThreadLocal<>();

	private static final Log logger = LogFactory.getLog(Operation.class);

	private final String id;

	private final String host;

	private final Instant start;

	private final long startNanos;

	private final Ticker ticker;

	private final String callerAddress;

	private final @Nullable String callerCallId;

	private final @Nullable Instant deadline;

	private final CancellationScope<CancelReason> scope;

	private final OperationCallbacks callbacks;

	private final OperationEvents events;

	private final CountDownLatch ended = new CountDownLatch(1);

	private final AtomicReference<@Nullable OperationOutcome> answer = new AtomicReference<>();

	private final ServingThread serving = new ServingThread();

	private volatile String name = "?";

	/**
	 * The caller's capability ({@code Soap-Call-Token}): whoever presents it may cancel
	 * the operation. Never listed, logged or shown.
	 */
	private volatile byte @Nullable [] callToken;

	/**
	 * An operation without listener whose callbacks run on the thread that triggers them
	 * (the lane still orders them), for tests of the cancellation contract.
	 */
	Operation(String id, String host, Ticker ticker, String callerAddress, @Nullable String callerCallId,
			@Nullable Instant deadline) {
		this(id, host, ticker, callerAddress, callerCallId, deadline, OperationListener.NONE, Runnable::run);
	}

	Operation(String id, String host, Ticker ticker, String callerAddress, @Nullable String callerCallId,
			@Nullable Instant deadline, OperationListener listener, Executor callbacks) {
		this.id = id;
		this.host = host;
		this.ticker = ticker;
		this.start = Instant.now();
		this.startNanos = ticker.nanoTime();
		this.callerAddress = callerAddress;
		this.callerCallId = callerCallId;
		this.deadline = deadline;
		this.scope = CancellationScope.root(ticker, "operation " + id);
		this.callbacks = new OperationCallbacks(id, this.scope, callbacks);
		this.events = new OperationEvents(host, id, callerCallId, listener);
		// the first listener, run on the cancelling thread right after the decision
		this.scope.addListener(this::cancelled, Runnable::run);
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
		return this.scope.isCancelled();
	}

	@Override
	public Optional<CancelReason> cancelReason() {
		return this.scope.reason();
	}

	@Nullable String cancelDetail() {
		return this.scope.cancellation().map(Cancellation::detail).orElse(null);
	}

	/**
	 * The operation's cancellation scope, whose children downstream calls made while
	 * serving it run in: they are cancelled with the operation and inherit its deadline.
	 * @return the scope
	 */
	CancellationScope<CancelReason> scope() {
		return this.scope;
	}

	void name(String name) {
		this.name = name;
	}

	/**
	 * Keep the caller's token; set at admission, before the operation is registered.
	 * @param token the token, or {@code null} when the caller sent none
	 */
	void callToken(@Nullable String token) {
		this.callToken = (token != null) ? token.getBytes(StandardCharsets.US_ASCII) : null;
	}

	/**
	 * Whether a presented token is the caller's, compared in constant time; an operation
	 * whose caller sent no token matches none.
	 * @param presented the presented token
	 * @return {@code true} when it matches
	 */
	boolean holdsToken(String presented) {
		byte[] own = this.callToken;
		return own != null && MessageDigest.isEqual(own, presented.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Cancel the operation with {@link CancelReason#DEADLINE_EXCEEDED} when the caller's
	 * budget runs out (at once when it already did), unless it was answered or ended
	 * before.
	 * @param budget the caller's budget
	 * @param timer the timer that enforces it
	 * @param detail the detail of the cancellation
	 */
	void expireAfter(Duration budget, CancellationTimer timer, String detail) {
		this.scope.withDeadline(budget, CancelReason.DEADLINE_EXCEEDED, detail, timer);
	}

	/**
	 * The operation whose context is current on this thread: one the application
	 * {@link #attach() attached}, else the one the thread serves.
	 * @return the operation, or {@code null}
	 */
	static @Nullable Operation current() {
		Operation carried = CARRIED.get();
		return (carried != null) ? carried : CURRENT.get();
	}

	@Override
	public Attachment attach() {
		Operation previous = CARRIED.get();
		CancellationScope.Attachment scoped = this.scope.attach();
		CARRIED.set(this);
		return new Attachment() {

			private boolean closed;

			@Override
			public void close() {
				// throws on another thread, before anything is restored
				scoped.close();
				if (this.closed) {
					return;
				}
				this.closed = true;
				if (previous != null) {
					CARRIED.set(previous);
				}
				else {
					CARRIED.remove();
				}
			}

		};
	}

	@Override
	public Runnable wrap(Runnable task) {
		return () -> {
			try (Attachment attached = attach()) {
				task.run();
			}
		};
	}

	@Override
	public <V> Callable<V> wrap(Callable<V> task) {
		return () -> {
			try (Attachment attached = attach()) {
				return task.call();
			}
		};
	}

	/**
	 * Tell the listener that the operation starts: once, right after admission.
	 * @param requestHeaders the headers of the operation's request
	 */
	void started(OperationListener.RequestHeaders requestHeaders) {
		this.events.started(requestHeaders);
	}

	/**
	 * Let the listener make what it needs current on the serving thread while the
	 * endpoint runs: {@link OperationListener#operationServing}.
	 * @return the scope to close on the same thread when the endpoint is done
	 */
	OperationListener.ServingScope serving() {
		return this.events.serving();
	}

	/** Whether a listener hears about this operation (else nothing need be recorded). */
	boolean isListened() {
		return this.events.isListened();
	}

	/**
	 * Record the name by which the matching endpoint mapping keys the operation.
	 * @param name a bounded value fit for a metric tag
	 */
	void mapped(String name) {
		this.events.mapped(name);
	}

	/**
	 * Record what the caller is answered, on the serving thread once it is decided. It
	 * ends the scope: a caller that goes away, or a cancel that comes, while the answer
	 * is written changes nothing. A deadline that passed before counts as a cancellation
	 * that came first, even when the timer has not run it yet. A completed or fault
	 * answer loses to a cancellation that came first.
	 * @param outcome the answer: completed, fault, cancelled or rejected
	 * @return {@code false} when a cancellation won before a completed or fault answer,
	 * which is then not recorded: the caller is to be answered as cancelled
	 */
	boolean answered(OperationOutcome outcome) {
		this.scope.expireIfDue();
		boolean uncancelled = this.scope.end();
		if (!uncancelled && (outcome == OperationOutcome.COMPLETED || outcome == OperationOutcome.FAULT)) {
			return false;
		}
		this.answer.set(outcome);
		return true;
	}

	/**
	 * Seal the operation because its answer is about to be written: its scope ends, so
	 * from now on no cancellation can win and the caller's answer and the operation's
	 * outcome agree. A deadline that passed before wins, even when the timer has not run
	 * it yet.
	 * @return the reason when the operation was cancelled before it could be sealed (the
	 * caller must then be answered with the cancellation fault), else {@code null}
	 */
	@Nullable CancelReason seal() {
		this.scope.expireIfDue();
		return this.scope.end() ? null : this.scope.reason().orElseThrow();
	}

	/** Record an endpoint's exception, which a resolver may still turn into a fault. */
	void endpointFailed(Throwable ex) {
		this.events.failed(ex);
	}

	/**
	 * Record that serving the request failed, which ends the scope; a cancellation or
	 * rejection already answered stays the outcome.
	 * @param ex the exception
	 */
	void failed(Throwable ex) {
		this.events.failed(ex);
		this.scope.end();
		this.answer
			.updateAndGet((current) -> (current == OperationOutcome.CANCELLED || current == OperationOutcome.REJECTED)
					? current : OperationOutcome.FAILED);
	}

	/**
	 * Cancel the operation unless it was cancelled before, was answered or has ended.
	 * @return {@code true} when this call won
	 */
	boolean cancel(CancelReason why, @Nullable String detail) {
		return this.scope.cancel(why, detail);
	}

	private void cancelled(Cancellation<CancelReason> why) {
		this.callbacks.cancelled(why.reason());
		if (logger.isDebugEnabled()) {
			logger.debug("Operation " + this.id + " of service host '" + this.host + "' cancelled: " + why.reason()
					+ ((why.detail() != null) ? " (" + why.detail() + ")" : ""));
		}
		this.events.cancelled(why.reason());
	}

	@Override
	public void onCancel(Consumer<CancelReason> callback) {
		this.callbacks.onCancel(callback);
	}

	@Override
	public void onComplete(Runnable callback) {
		this.callbacks.onComplete(callback);
	}

	/** Attach the thread that runs the endpoint, so that an abort can interrupt it. */
	void attach(Thread serving) {
		this.serving.attach(serving);
	}

	/** See {@link ServingThread#detach()}: called by the serving thread when done. */
	boolean detach() {
		return this.serving.detach();
	}

	/** Interrupt the serving thread if one is attached; says whether one was. */
	boolean interrupt() {
		return this.serving.interrupt();
	}

	/**
	 * End the operation: no cancellation can win any more (the scope ends, which also
	 * drops its deadline task), so the outcome is decided; tells the listener, then
	 * queues the completion callbacks behind a cancel callback that may still be queued
	 * or running. Never waits for application code. Only the first call does anything.
	 * @return {@code true} when this call ended the operation
	 */
	boolean end() {
		return this.callbacks.end(() -> {
			try {
				this.events.ended(this.answer.get(), this.scope.reason().orElse(null),
						this.ticker.nanoTime() - this.startNanos);
			}
			finally {
				this.ended.countDown();
			}
		});
	}

	/**
	 * Wait until the operation has ended and its callbacks (cancel and completion) have
	 * returned. A cancel callback that never returns holds back its own operation's
	 * completion callbacks, and this wait until the deadline, nothing else.
	 * @param deadlineNanos the {@link System#nanoTime()} reading to give up at
	 * @return {@code true} when it ended and its callbacks returned
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	boolean awaitEnd(long deadlineNanos) throws InterruptedException {
		return this.callbacks.awaitSettled(deadlineNanos);
	}

	boolean hasEnded() {
		return this.ended.getCount() == 0;
	}

	OperationInfo info() {
		CancelReason why = this.scope.reason().orElse(null);
		return new OperationInfo(this.id, this.host, this.name, this.start,
				Duration.ofNanos(this.ticker.nanoTime() - this.startNanos), this.callerAddress, this.callerCallId,
				this.deadline, why != null, why);
	}

}
