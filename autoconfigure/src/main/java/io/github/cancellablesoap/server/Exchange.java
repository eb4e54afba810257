package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
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

import org.springframework.ws.soap.SoapMessageCreationException;

import io.github.cancellablesoap.core.XmlStructureException;
import io.github.cancellablesoap.core.XmlStructureGuard;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * One admitted request on its way through a host's intake: the body is received without
 * blocking, within the host's size, depth and time bounds, then the endpoint runs on the
 * container thread that saw the end of the body while the caller-gone detector watches
 * the connection; the operation ends exactly once in any case, whatever throws.
 * <p>
 * The container serialises the read and async callbacks of one request; the phase decides
 * which of them ends the exchange.
 */
final class Exchange implements ReadListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(Exchange.class);

	private static final CallerGoneDetector.Watch NO_WATCH = () -> {
	};

	private static final int RECEIVING = 0;

	private static final int RUNNING = 1;

	private static final int DONE = 2;

	private final Intake intake;

	private final Operation operation;

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final AtomicInteger phase = new AtomicInteger(RECEIVING);

	private final ByteArrayOutputStream body;

	private final XmlStructureGuard guard;

	private final long maxBytes;

	private long received;

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletInputStream input;

	Exchange(Intake intake, Operation operation, HttpServletRequest request, HttpServletResponse response) {
		this.intake = intake;
		this.operation = operation;
		this.request = request;
		this.response = response;
		ServiceHostSettings settings = intake.host().settings();
		this.maxBytes = settings.maxRequestBytes();
		this.guard = new XmlStructureGuard(settings.maxXmlDepth());
		long length = request.getContentLengthLong();
		this.body = new ByteArrayOutputStream((length > 0 && length < 1 << 20) ? (int) length : 4096);
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
	public void onDataAvailable() throws IOException {
		ServletInputStream stream = this.input;
		byte[] buffer = new byte[8192];
		while (stream != null && this.phase.get() == RECEIVING && stream.isReady()) {
			int read;
			try {
				read = stream.read(buffer);
			}
			catch (IOException ex) {
				// the container has usually answered already (its error page); this ends
				// the operation at once
				logger.debug("Cannot read the request body of operation " + this.operation.operationId(), ex);
				refuse(HttpServletResponse.SC_BAD_REQUEST, "malformed-body", "The request body sent to service host '"
						+ this.intake.host().name() + "' could not be read: its framing is broken or it ended early");
				return;
			}
			if (read < 0) {
				return;
			}
			this.received += read;
			if (this.received > this.maxBytes) {
				refuse(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request-too-large",
						"The request body of service host '" + this.intake.host().name()
								+ "' is larger than its limit of " + this.maxBytes + " bytes (max-request-size)");
				return;
			}
			try {
				this.guard.feed(buffer, 0, read);
			}
			catch (XmlStructureException ex) {
				refuse(HttpServletResponse.SC_BAD_REQUEST, ex.isLimitExceeded() ? "xml-too-deep" : "malformed-xml",
						ex.getMessage() + (ex.isLimitExceeded() ? " (max-xml-depth)" : ""));
				return;
			}
			this.body.write(buffer, 0, read);
		}
	}

	@Override
	public void onAllDataRead() {
		if (!this.phase.compareAndSet(RECEIVING, RUNNING)) {
			return;
		}
		run();
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
		if (this.phase.get() == RECEIVING) {
			refuse(HttpServletResponse.SC_REQUEST_TIMEOUT, "request-body-timeout",
					"The request body did not reach service host '" + this.intake.host().name() + "' within "
							+ this.intake.host().settings().requestBodyTimeout() + " (request-body-timeout)");
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/**
	 * Refuse the request while its body is received: answer the status with the refusal
	 * fault, close the connection (the rest of the body is not read) and end the
	 * operation.
	 */
	private void refuse(int status, String reason, String text) {
		if (!this.phase.compareAndSet(RECEIVING, DONE)) {
			return;
		}
		Operation current = this.operation;
		current.answered(OperationOutcome.REJECTED);
		try {
			logger.debug("Refusing operation " + current.operationId() + ": " + text);
			this.intake.refuse(this.response, status, reason, text, true);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot answer refused operation " + current.operationId(), ex);
		}
		finally {
			complete();
			this.intake.host().finish(current);
		}
	}

	/**
	 * End the exchange when starting it failed: answer HTTP 500 with a SOAP fault (the
	 * exception is logged) and end the operation, unless the exchange had already ended.
	 * @param ex what failed
	 */
	void startFailed(Throwable ex) {
		if (!this.phase.compareAndSet(RECEIVING, DONE)) {
			return;
		}
		try {
			fail(ex);
		}
		finally {
			complete();
			this.intake.host().finish(this.operation);
		}
	}

	/**
	 * End the exchange before the endpoint ran, when the container reported that the
	 * connection failed while the body was being received. An operation cancelled while
	 * its body is being received is not dropped: it answers with the cancellation fault
	 * once the body is in, because completing the exchange while the container still
	 * reads for it is not safe.
	 * @param failure what the container reported, or {@code null}
	 */
	private void drop(@Nullable Throwable failure) {
		if (!this.phase.compareAndSet(RECEIVING, DONE)) {
			return;
		}
		try {
			// an answer of our own, sent at once, keeps the container's error page out;
			// when the connection is really gone, writing it fails and nothing is lost
			boolean timedOut = failure instanceof SocketTimeoutException
					|| (failure != null && failure.getCause() instanceof SocketTimeoutException);
			this.intake.refuse(this.response,
					timedOut ? HttpServletResponse.SC_REQUEST_TIMEOUT : HttpServletResponse.SC_BAD_REQUEST,
					timedOut ? "request-body-timeout" : "malformed-body",
					"The request body sent to service host '" + this.intake.host().name() + "' could not be read: "
							+ (timedOut ? "it stalled" : "its framing is broken or it ended early"),
					true);
			this.response.flushBuffer();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot answer dropped operation " + this.operation.operationId(), ex);
		}
		finally {
			complete();
			this.intake.host().finish(this.operation);
		}
	}

	private void run() {
		Operation current = this.operation;
		String refusal;
		try {
			disableTimeout();
			refusal = this.intake.host().execute(current);
		}
		catch (Throwable ex) {
			fail(ex);
			this.phase.set(DONE);
			complete();
			this.intake.host().finish(current);
			rethrowFatal(ex);
			return;
		}
		if (refusal != null) {
			current.answered(OperationOutcome.REJECTED);
			try {
				this.intake.reject(this.response, refusal, this.intake.host().state(),
						this.intake.host().listenerState());
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Cannot answer dropped operation " + current.operationId(), ex);
			}
			finally {
				this.phase.set(DONE);
				complete();
				this.intake.host().finish(current);
			}
			return;
		}
		CallerGoneDetector.Watch watch = NO_WATCH;
		Throwable fatal = null;
		current.attach(Thread.currentThread());
		Operation.CURRENT.set(current);
		try {
			this.intake.hooks().before(IntakeHooks.Step.WATCH);
			watch = this.intake.detector()
				.watch(this.request,
						() -> current.cancel(CancelReason.CALLER_GONE, "the caller closed its connection"));
			this.intake.hooks().before(IntakeHooks.Step.DISPATCH);
			this.intake.adapter()
				.handle(new BufferedRequest(this.request, this.body.toByteArray()), this.response,
						this.intake.dispatcher());
		}
		catch (SoapMessageCreationException ex) {
			unreadable(ex);
		}
		catch (Throwable ex) {
			fail(ex);
			fatal = ex;
		}
		finally {
			try {
				watch.cancel();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot stop watching the caller of operation " + current.operationId(), ex);
			}
			Operation.CURRENT.remove();
			current.detach();
			this.phase.set(DONE);
			complete();
			this.intake.host().finish(current);
		}
		if (fatal != null) {
			rethrowFatal(fatal);
		}
	}

	/**
	 * Once the body is in, the request body timeout no longer applies: the operation's
	 * own deadline bounds it.
	 */
	private void disableTimeout() {
		AsyncContext context = this.async;
		if (context != null) {
			context.setTimeout(0);
		}
	}

	/**
	 * The body arrived but is no SOAP message: the caller's error, answered with HTTP 400
	 * and one debug line, as Spring WS answers XML it cannot parse.
	 */
	private void unreadable(SoapMessageCreationException ex) {
		this.operation.answered(OperationOutcome.REJECTED);
		logger.debug("Operation " + this.operation.operationId() + " is no SOAP message", ex);
		if (this.response.isCommitted()) {
			return;
		}
		try {
			this.intake.refuse(this.response, HttpServletResponse.SC_BAD_REQUEST, "malformed-xml",
					"The request to service host '" + this.intake.host().name() + "' is not a SOAP message it can read",
					false);
		}
		catch (IOException | RuntimeException answerFailure) {
			logger.debug("Cannot answer operation " + this.operation.operationId(), answerFailure);
		}
	}

	/**
	 * Record and log what failed, and answer HTTP 500 with a SOAP fault unless part of an
	 * answer was sent already.
	 */
	private void fail(Throwable ex) {
		this.operation.failed(ex);
		if (this.operation.isCancellationRequested()) {
			logger.debug("Cancelled operation " + this.operation.operationId() + " failed", ex);
		}
		else if (ex instanceof Error) {
			logger.error("Operation " + this.operation.operationId() + " of service host '" + this.intake.host().name()
					+ "' failed", ex);
		}
		else {
			logger.warn("Operation " + this.operation.operationId() + " of service host '" + this.intake.host().name()
					+ "' failed", ex);
		}
		if (this.response.isCommitted()) {
			return;
		}
		try {
			this.intake.failed(this.response, this.operation.operationId());
		}
		catch (IOException | RuntimeException | StackOverflowError answerFailure) {
			logger.debug("Cannot answer failed operation " + this.operation.operationId(), answerFailure);
			try {
				this.response.resetBuffer();
				this.response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			}
			catch (IllegalStateException committed) {
				logger.debug("Response of operation " + this.operation.operationId() + " already committed", committed);
			}
		}
	}

	/**
	 * An error the JVM cannot recover from goes on to the container once the operation is
	 * released; a stack overflow only ends its own operation.
	 */
	private static void rethrowFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
			throw (VirtualMachineError) ex;
		}
	}

	private void complete() {
		AsyncContext context = this.async;
		if (context == null) {
			return;
		}
		try {
			context.complete();
		}
		catch (IllegalStateException ex) {
			logger.debug("Exchange of operation " + this.operation.operationId() + " already completed", ex);
		}
	}

}
