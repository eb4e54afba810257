package io.github.cancellablesoap.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.InvalidXmlException;
import org.springframework.ws.soap.SoapMessageCreationException;

/**
 * One admitted request on its way through a host's intake, from going asynchronous to the
 * end of its operation: its {@link RequestBody} is received without blocking, within the
 * host's size, depth and time bounds, then the endpoint runs as a {@link WatchedDispatch}
 * on the container thread that saw the end of the body; any other end is answered through
 * {@link ExchangeAnswers}. The operation ends exactly once in any case, whatever throws.
 * <p>
 * Thread-safe in the way the container calls it: the container serialises the read and
 * async callbacks of one request, and the phase (receiving, running, done), changed
 * atomically, decides which of them ends the exchange.
 */
final class Exchange implements ReadListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(Exchange.class);

	private static final int RECEIVING = 0;

	private static final int RUNNING = 1;

	private static final int DONE = 2;

	private final Intake intake;

	private final Operation operation;

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final AtomicInteger phase = new AtomicInteger(RECEIVING);

	private final RequestBody body;

	private final ExchangeAnswers answers;

	private final SoapDialects.Dialect dialect;

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletInputStream input;

	Exchange(Intake intake, Operation operation, HttpServletRequest request, HttpServletResponse response) {
		this.intake = intake;
		this.operation = operation;
		this.request = request;
		this.response = response;
		this.body = new RequestBody(intake.host().settings(), request.getContentLengthLong());
		this.dialect = intake.dialects().of(request.getContentType());
		this.answers = new ExchangeAnswers(intake, operation, response, this.dialect);
	}

	/**
	 * Go asynchronous and start receiving the body; the body has until the host's request
	 * body timeout to arrive.
	 * @throws IOException when the body cannot be read
	 */
	void start() throws IOException {
		this.intake.hooks().before(IntakeHooks.Step.START_ASYNC);
		AsyncContext context = this.request.startAsync(this.request, this.response);
		this.async = context;
		context.setTimeout(Math.max(1, this.intake.host().settings().requestBodyTimeout().toMillis()));
		context.addListener(this);
		ServletInputStream stream = this.request.getInputStream();
		this.input = stream;
		this.intake.hooks().before(IntakeHooks.Step.SET_READ_LISTENER);
		stream.setReadListener(this);
	}

	@Override
	public void onDataAvailable() {
		ServletInputStream stream = this.input;
		if (stream == null) {
			return;
		}
		RequestBody.Refusal refusal = this.body.readAvailable(stream, () -> this.phase.get() == RECEIVING);
		if (refusal != null && this.phase.compareAndSet(RECEIVING, DONE)) {
			try {
				this.answers.refuse(refusal);
			}
			finally {
				end();
			}
		}
	}

	@Override
	public void onAllDataRead() {
		if (this.phase.compareAndSet(RECEIVING, RUNNING)) {
			run();
		}
	}

	@Override
	public void onError(Throwable failure) {
		this.operation.cancel(CancelReason.CALLER_GONE, "the connection failed while the request was received");
		drop(failure);
	}

	@Override
	public void onError(AsyncEvent event) {
		this.operation.cancel(CancelReason.CALLER_GONE, "the connection failed");
		drop(event.getThrowable());
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		if (this.phase.compareAndSet(RECEIVING, DONE)) {
			try {
				this.answers
					.refuse(new RequestBody.Refusal(HttpServletResponse.SC_REQUEST_TIMEOUT, "request-body-timeout",
							"The request body did not reach service host '" + this.intake.host().name() + "' within "
									+ this.intake.host().settings().requestBodyTimeout() + " (request-body-timeout)"));
			}
			finally {
				end();
			}
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/**
	 * End the exchange when starting it failed: answer HTTP 500 with a SOAP fault (the
	 * exception is logged) and end the operation, unless the exchange had already ended.
	 * @param ex what failed
	 */
	void startFailed(Throwable ex) {
		if (this.phase.compareAndSet(RECEIVING, DONE)) {
			try {
				this.answers.failed(ex);
			}
			finally {
				end();
			}
		}
	}

	/**
	 * End the exchange before the endpoint ran, when the container reported that the
	 * connection failed while the body was being received. An operation cancelled while
	 * its body is being received is not dropped: it answers with the cancellation fault
	 * once the body is in, because completing the exchange while the container still
	 * reads for it is not safe.
	 */
	private void drop(@Nullable Throwable failure) {
		if (this.phase.compareAndSet(RECEIVING, DONE)) {
			try {
				this.answers.dropped(failure);
			}
			finally {
				end();
			}
		}
	}

	private void run() {
		Throwable fatal = null;
		try {
			// once the body is in, the operation's own deadline bounds it
			AsyncContext context = this.async;
			if (context != null) {
				context.setTimeout(0);
			}
			String refusal = this.intake.host().execute(this.operation);
			if (refusal != null) {
				this.answers.rejected(refusal);
			}
			else {
				WatchedDispatch.run(this.intake, this.dialect, this.operation, this.request, this.response,
						this.body.bytes());
			}
		}
		catch (SoapMessageCreationException | InvalidXmlException ex) {
			this.answers.unreadable(ex);
		}
		catch (Throwable ex) {
			this.answers.failed(ex);
			fatal = ex;
		}
		finally {
			this.phase.set(DONE);
			end();
		}
		if (fatal != null) {
			rethrowFatal(fatal);
		}
	}

	/**
	 * An error the JVM cannot recover from goes on to the container once the operation is
	 * released; a stack overflow only ends its own operation.
	 * @param ex what was thrown
	 */
	static void rethrowFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
			throw (VirtualMachineError) ex;
		}
	}

	/**
	 * Complete the asynchronous request and end the operation.
	 */
	private void end() {
		AsyncContext context = this.async;
		try {
			if (context != null) {
				context.complete();
			}
		}
		catch (IllegalStateException ex) {
			logger.debug("Exchange of operation " + this.operation.operationId() + " already completed", ex);
		}
		finally {
			this.intake.host().finish(this.operation);
		}
	}

}
