package io.github.cancellablesoap.client;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

import javax.xml.transform.TransformerException;

import io.github.cancellablesoap.core.ProductThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.client.WebServiceIOException;
import org.springframework.ws.client.WebServiceTransformerException;
import org.springframework.ws.client.WebServiceTransportException;
import org.springframework.ws.client.core.WebServiceMessageCallback;
import org.springframework.ws.client.core.WebServiceMessageExtractor;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.context.DefaultMessageContext;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.transport.TransportException;
import org.springframework.ws.transport.context.DefaultTransportContext;
import org.springframework.ws.transport.context.TransportContext;
import org.springframework.ws.transport.context.TransportContextHolder;
import org.springframework.ws.transport.support.TransportUtils;

/**
 * One call of the non-blocking form ({@link AsyncServiceOperations}): its result, the
 * hook that hears its answer, and the task that processes the answer on the completion
 * executor, in one object, so that a pending call costs as little memory as possible.
 * <p>
 * {@link #send} is the first half of {@code WebServiceTemplate#doSendAndReceive}, on the
 * calling thread: the message, the request callback (marshalling), the interceptors'
 * {@code handleRequest}, and the request written into a {@link DeferredConnection}, which
 * starts the exchange and returns. The call's timeout is then a scheduled
 * {@link Call#timeOut}; nothing else waits. When the call's answer completes (the I/O
 * reactor with the response or a failure, the deciding thread of an abandon, abort or
 * timeout), {@link #accept} hands this task to the completion executor, whose thread runs
 * the second half ({@link #run}): status and fault checks, the interceptors' response,
 * fault and completion callbacks, the extractor, the listener's end event, the caller
 * part's release, and last this future's completion.
 * <p>
 * The races: an abort or abandon before the exchange starts is refused by the channel's
 * attach ({@link Call#attach}), and ends the call here on the calling thread; one after
 * completes the answer, which dispatches this task; a task dispatched twice or run twice
 * processes once (a claim); an executor that refuses the task, or runs it at once on the
 * thread that handed it over (the one that ended the call, or the calling thread when the
 * answer was already there), has it run on the product's application pool instead
 * ({@link ProductThreads#application()}), refused (the call fails with what the executor
 * threw) or processed (it was only run in the wrong place); a proxy abort, or a proxy
 * close past its close-timeout, takes the claim of a task that was handed over and has
 * not run ({@link #endUnprocessed}), so that an executor that drops tasks cannot keep a
 * call pending; the call's caller part is released in a {@code finally} whichever way it
 * ends. The time a complete answer waits for the executor is not charged to the
 * response's read ({@link DeferredConnection#takeAnswer}); a timer that refuses the
 * call's timeout fails the call and stops its I/O.
 * <p>
 * About 450 lines because it holds both halves of {@code doSendAndReceive}, each
 * mirroring Spring WS's steps one by one, and the dispatch and ending rules between them.
 * <p>
 * Thread-safe: {@link #send} runs once on the calling thread before anything else can see
 * this object's message fields; {@link #run} reads them after the answer's completion, a
 * safe publication; {@link #cancel} may be called from any thread.
 *
 * @param <T> the result type
 */
final class AsyncCall<T> extends CallResult<T> implements Runnable, BiConsumer<Object, @Nullable Throwable> {

	private static final AtomicIntegerFieldUpdater<AsyncCall<?>> CLAIM = newClaim();

	/** The claim while the answer is awaited. */
	private static final int WAITING = 0;

	/** The claim once the task was handed to the completion executor. */
	private static final int HANDED = 1;

	/** The claim once the task, or a proxy abort or close, took the call's ending. */
	private static final int CLAIMED = 2;

	private final AsyncCallRunner runner;

	private final Executor executor;

	private final WebServiceMessageExtractor<T> extractor;

	private @Nullable DeferredConnection connection;

	private @Nullable MessageContext context;

	private int interceptorIndex = -1;

	private boolean sent;

	private volatile @Nullable ScheduledFuture<?> timeout;

	/** The thread that handed this task to the executor. */
	/**
	 * The calling thread while it registers for the answer: an answer already there
	 * completes at once on it.
	 */
	private volatile @Nullable Thread registering;

	private volatile @Nullable Thread dispatcher;

	/** What the executor threw when it refused this task. */
	private volatile @Nullable Throwable refusal;

	/** {@link #WAITING}, then {@link #HANDED}, then {@link #CLAIMED}. */
	private volatile int claim;

	/**
	 * When the answer was complete, on {@link System#nanoTime()}; written before the task
	 * is handed over, read by the task.
	 */
	private long answeredNanos;

	AsyncCall(AsyncCallRunner runner, Call call, WebServiceMessageExtractor<T> extractor, Executor executor) {
		super(call);
		this.runner = runner;
		this.extractor = extractor;
		this.executor = executor;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static AtomicIntegerFieldUpdater<AsyncCall<?>> newClaim() {
		return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(AsyncCall.class, "claim");
	}

	/**
	 * The first half, on the calling thread: build and send the request, then let the
	 * answer come. Ends the call here when anything fails before the request left.
	 * @param uri the address
	 * @param requestCallback writes the request
	 */
	void send(String uri, WebServiceMessageCallback requestCallback) {
		WebServiceTemplate template = this.runner.template();
		TransportContext previous = TransportContextHolder.getTransportContext();
		try {
			ServiceCallException early = this.call.cancellation();
			if (early != null) {
				// cancelled during admission (its upstream was): no marshalling, no I/O
				throw early;
			}
			DeferredConnection opened = this.runner.transport().deferredConnection(this.runner.address(uri), this.call);
			this.connection = opened;
			TransportContextHolder.setTransportContext(new DefaultTransportContext(opened));
			MessageContext created = new DefaultMessageContext(template.getMessageFactory());
			this.context = created;
			requestCallback.doWithMessage(created.getRequest());
			boolean intercepted = false;
			ClientInterceptor[] interceptors = template.getInterceptors();
			if (interceptors != null) {
				for (int i = 0; i < interceptors.length; i++) {
					this.interceptorIndex = i;
					if (!interceptors[i].handleRequest(created)) {
						intercepted = true;
						break;
					}
				}
			}
			if (!created.hasResponse() && !intercepted) {
				TemplateSteps.traceSent(created.getRequest());
				opened.send(created.getRequest());
				this.sent = true;
			}
		}
		catch (Throwable ex) {
			end(ex);
			return;
		}
		finally {
			TransportContextHolder.setTransportContext(previous);
		}
		if (this.sent) {
			try {
				this.timeout = this.runner.scheduleTimeout(this.call);
			}
			catch (Throwable ex) {
				// no timer to bound the call (a stopped one): fail it and stop its I/O
				// rather than leave it unbounded
				end(ex);
				return;
			}
			if (noInterceptors(template)) {
				// no interceptor reads the request again: a pending call does not keep
				// it (the second half stands a SentRequest in for it)
				this.context = null;
			}
			this.registering = Thread.currentThread();
			this.call.whenAnswered(this);
			this.registering = null;
		}
		else {
			// an interceptor answered: nothing to wait for
			dispatch();
		}
	}

	private static boolean noInterceptors(WebServiceTemplate template) {
		ClientInterceptor[] interceptors = template.getInterceptors();
		return interceptors == null || interceptors.length == 0;
	}

	/**
	 * The answer is complete: hand the second half to the completion executor. Runs on
	 * the thread that completed it.
	 */
	@Override
	public void accept(Object response, @Nullable Throwable failure) {
		this.answeredNanos = System.nanoTime();
		if (Thread.currentThread() == this.registering) {
			// the answer was already there as the call registered: the calling thread
			dispatch();
			return;
		}
		// the I/O reactor (shared by every call of the proxy), a timer, or whichever
		// thread
		// aborted or abandoned the call: the application's execute() never runs there, so
		// an execute() that blocks holds up nothing but its own calls
		try {
			ProductThreads.application().execute(this::dispatch);
		}
		catch (Throwable ex) {
			// no thread to be had (the pool is shutting down): hand over here rather than
			// never
			dispatch();
		}
	}

	private void dispatch() {
		// from here a proxy abort or close may end the call if the task never runs
		CLAIM.compareAndSet(this, WAITING, HANDED);
		// set only while execute() runs: run() on this thread meanwhile means at once
		this.dispatcher = Thread.currentThread();
		try {
			this.executor.execute(this);
			this.dispatcher = null;
		}
		catch (Throwable ex) {
			this.dispatcher = null;
			this.refusal = ex;
			try {
				ProductThreads.application().execute(this);
			}
			catch (Throwable last) {
				// no thread to be had: end the call here rather than never
				run();
			}
		}
	}

	/**
	 * The second half, on the completion executor's thread.
	 */
	@Override
	public void run() {
		if (this.refusal == null && Thread.currentThread() == this.dispatcher) {
			// run at once on the thread that handed it over (the I/O reactor, a timer's
			// hand-off, or the calling thread when the answer was already there)
			this.runner.ranInline();
			this.dispatcher = null;
			ProductThreads.application().execute(this);
			return;
		}
		if (CLAIM.getAndSet(this, CLAIMED) == CLAIMED) {
			return;
		}
		stopTimeout();
		DeferredConnection opened = this.connection;
		TransportContext previous = TransportContextHolder.getTransportContext();
		if (opened != null) {
			TransportContextHolder.setTransportContext(new DefaultTransportContext(opened));
		}
		@Nullable T result = null;
		Throwable thrown = null;
		try {
			Throwable refused = this.refusal;
			if (refused != null) {
				MessageContext messages = this.context;
				if (messages != null && refused instanceof Exception failure) {
					TemplateSteps.afterCompletion(this.runner.template().getInterceptors(), this.interceptorIndex,
							messages, failure);
				}
				thrown = fail(refused);
			}
			else {
				result = receive();
				CallOutcome outcome = this.call.finish(null);
				// a cancellation that won over an interceptor's own answer is what the
				// caller sees
				thrown = this.call.cancellation();
				this.runner.notifier().ended(this.call, outcome, thrown);
			}
		}
		catch (Throwable ex) {
			thrown = fail(ex);
		}
		finally {
			TransportContextHolder.setTransportContext(previous);
			TransportUtils.closeConnection(opened);
			this.call.callerLeft();
		}
		if (thrown != null) {
			failWith(thrown);
		}
		else {
			complete(result);
		}
	}

	/**
	 * The second half of {@code doSendAndReceive}, from the status check on.
	 */
	@SuppressWarnings("unchecked")
	private @Nullable T receive() throws IOException, TransformerException {
		WebServiceTemplate template = this.runner.template();
		ClientInterceptor[] interceptors = template.getInterceptors();
		MessageContext messages = this.context;
		if (messages == null) {
			messages = new DefaultMessageContext(new SentRequest(this.call.callId()), template.getMessageFactory());
		}
		DeferredConnection opened = this.connection;
		if (opened == null) {
			throw new IllegalStateException("Call " + this.call.callId() + " has no message");
		}
		WebServiceMessage request = messages.getRequest();
		try {
			ServiceCallException cancelled = this.call.cancellation();
			if (cancelled != null) {
				throw cancelled;
			}
			if (this.sent) {
				// the time the answer waited for this thread is not charged to its read
				opened.takeAnswer(Math.max(0, System.nanoTime() - this.answeredNanos));
				if (TemplateSteps.hasError(template, opened, request)) {
					TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, null);
					return (T) TemplateSteps.handleError(template, opened, request);
				}
				messages.setResponse(opened.receive(template.getMessageFactory()));
			}
			TemplateSteps.traceReceived(messages);
			if (!messages.hasResponse()) {
				TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, null);
				return null;
			}
			if (!TemplateSteps.hasFault(template, opened, messages.getResponse())) {
				TemplateSteps.handleResponse(interceptors, this.interceptorIndex, messages);
				TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, null);
				return this.extractor.extractData(messages.getResponse());
			}
			TemplateSteps.handleFault(interceptors, this.interceptorIndex, messages);
			TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, null);
			return (T) TemplateSteps.handleFault(template, opened, messages);
		}
		catch (TransformerException ex) {
			TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, ex);
			throw new WebServiceTransformerException("Transformation error: " + ex.getMessage(), ex);
		}
		catch (RuntimeException | IOException ex) {
			TemplateSteps.afterCompletion(interceptors, this.interceptorIndex, messages, ex);
			throw ex;
		}
	}

	/**
	 * End the call on the calling thread: the request never left, or left with no timer
	 * to bound it (then its I/O is cancelled). Whatever the interceptors'
	 * {@code afterCompletion} throws, an {@code Error} included, the call ends and its
	 * slot is freed; an {@code Error} is what the result fails with, as a blocking call
	 * would throw it.
	 */
	private void end(Throwable ex) {
		Throwable failure = (ex instanceof TransformerException transform)
				? new WebServiceTransformerException("Transformation error: " + transform.getMessage(), transform) : ex;
		Throwable thrown;
		try {
			try {
				MessageContext messages = this.context;
				if (messages != null && ex instanceof Exception exception) {
					TemplateSteps.afterCompletion(this.runner.template().getInterceptors(), this.interceptorIndex,
							messages, exception);
				}
			}
			catch (Throwable broke) {
				broke.addSuppressed(failure);
				failure = broke;
			}
			thrown = fail(failure);
		}
		finally {
			if (this.sent) {
				this.call.cancelIo();
			}
			TransportUtils.closeConnection(this.connection);
			this.call.callerLeft();
		}
		failWith(thrown);
	}

	/**
	 * End the call as aborted when its task was handed to the completion executor and has
	 * not run (an executor that dropped it, or one still queueing it): the call leaves on
	 * this thread; the interceptors' completion, the listeners' end event and the
	 * result's completion run on the product's application pool. The claim makes this and
	 * the task exclusive: a task that runs later does nothing.
	 * @param reason the abort's reason
	 * @return whether this ended the call
	 */
	@Override
	boolean endUnprocessed(@Nullable String reason) {
		if (!CLAIM.compareAndSet(this, HANDED, CLAIMED)) {
			return false;
		}
		ServiceCallException aborted = this.call.abortedException(reason);
		try {
			stopTimeout();
			TransportUtils.closeConnection(this.connection);
		}
		finally {
			this.call.callerLeft();
		}
		Runnable rest = () -> endAborted(aborted);
		try {
			ProductThreads.application().execute(rest);
		}
		catch (Throwable ex) {
			// no thread to be had: end it here rather than never
			rest.run();
		}
		return true;
	}

	private void endAborted(ServiceCallException aborted) {
		try {
			MessageContext messages = this.context;
			if (messages != null) {
				TemplateSteps.afterCompletion(this.runner.template().getInterceptors(), this.interceptorIndex, messages,
						aborted);
			}
		}
		catch (Throwable broke) {
			aborted.addSuppressed(broke);
		}
		try {
			this.runner.notifier().ended(this.call, CallOutcome.ABORTED, aborted);
		}
		catch (Throwable broke) {
			aborted.addSuppressed(broke);
		}
		failWith(aborted);
	}

	/**
	 * What the caller of a blocking call would get for a failure, as
	 * {@code WebServiceTemplate#sendAndReceive} wraps it and the proxy maps it; the
	 * listener hears the end.
	 */
	private Throwable fail(Throwable ex) {
		Throwable wrapped = ex;
		if (ex instanceof TransportException transport) {
			wrapped = new WebServiceTransportException("Could not use transport: " + transport.getMessage(), transport);
		}
		else if (ex instanceof IOException io) {
			wrapped = new WebServiceIOException("I/O error: " + io.getMessage(), io);
		}
		return CallRunner.failed(this.runner.notifier(), this.call, wrapped);
	}

	private void stopTimeout() {
		ScheduledFuture<?> scheduled = this.timeout;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

}
