package io.github.cancellablesoap.server;

import java.io.IOException;
import java.net.SocketTimeoutException;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.WebServiceException;

/**
 * The answers an {@link Exchange} gives when it does not answer through the endpoint: a
 * refusal for what the request carries, a drop when the connection failed while the body
 * arrived, a rejection when the host stopped admitting, an unreadable message and a
 * failure in the host. Each records on the operation what it answered; a failure to write
 * the answer (the caller is usually gone) is logged at debug level and changes nothing
 * else.
 * <p>
 * Not thread-safe: an exchange answers once, from the container thread whose callback
 * ended it.
 */
final class ExchangeAnswers {

	private static final Log logger = LogFactory.getLog(ExchangeAnswers.class);

	private final Intake intake;

	private final Operation operation;

	private final HttpServletResponse response;

	private final SoapDialects.Dialect dialect;

	ExchangeAnswers(Intake intake, Operation operation, HttpServletResponse response, SoapDialects.Dialect dialect) {
		this.intake = intake;
		this.operation = operation;
		this.response = response;
		this.dialect = dialect;
	}

	/**
	 * Refuse the request for what it carries and close the connection (the rest of the
	 * body is not read).
	 * @param refusal why
	 */
	void refuse(RequestBody.Refusal refusal) {
		this.operation.answered(OperationOutcome.REJECTED);
		logger.debug("Refusing operation " + this.operation.operationId() + ": " + refusal.text());
		refuse(refusal.status(), refusal.reason(), refusal.text(), true, "refused");
	}

	/**
	 * Answer a request whose connection failed while its body was received: an answer of
	 * our own, sent at once, keeps the container's error page out; when the connection is
	 * really gone, writing it fails and nothing is lost.
	 * @param failure what the container reported, or {@code null}
	 */
	void dropped(@Nullable Throwable failure) {
		boolean timedOut = failure instanceof SocketTimeoutException
				|| (failure != null && failure.getCause() instanceof SocketTimeoutException);
		if (refuse(timedOut ? HttpServletResponse.SC_REQUEST_TIMEOUT : HttpServletResponse.SC_BAD_REQUEST,
				timedOut ? "request-body-timeout" : "malformed-body",
				"The request body sent to service host '" + host() + "' could not be read: "
						+ (timedOut ? "it stalled" : "its framing is broken or it ended early"),
				true, "dropped")) {
			try {
				this.response.flushBuffer();
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Cannot answer dropped operation " + this.operation.operationId(), ex);
			}
		}
	}

	/**
	 * Reject a request whose body is in but that may not run: the host's rejection
	 * status.
	 * @param refusal why, from {@link DefaultServiceHost#execute}
	 */
	void rejected(String refusal) {
		this.operation.answered(OperationOutcome.REJECTED);
		try {
			this.intake.reject(this.dialect, this.response, refusal, this.intake.host().state(),
					this.intake.host().listenerState());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot answer dropped operation " + this.operation.operationId(), ex);
		}
	}

	/**
	 * The body arrived but is no SOAP message: the caller's error, answered with HTTP 400
	 * and one debug line, as Spring WS answers XML it cannot parse.
	 * @param ex what the message factory said
	 */
	void unreadable(WebServiceException ex) {
		this.operation.answered(OperationOutcome.REJECTED);
		logger.debug("Operation " + this.operation.operationId() + " is no SOAP message", ex);
		if (!this.response.isCommitted()) {
			refuse(HttpServletResponse.SC_BAD_REQUEST, "malformed-xml",
					"The request to service host '" + host() + "' is not a SOAP message it can read", false, "unread");
		}
	}

	/**
	 * Record and log what failed, and answer HTTP 500 with a SOAP fault unless part of an
	 * answer was sent already.
	 * @param ex what failed
	 */
	void failed(Throwable ex) {
		this.operation.failed(ex);
		String id = this.operation.operationId();
		if (this.operation.isCancellationRequested()) {
			logger.debug("Cancelled operation " + id + " failed", ex);
		}
		else if (ex instanceof Error) {
			logger.error("Operation " + id + " of service host '" + host() + "' failed", ex);
		}
		else {
			logger.warn("Operation " + id + " of service host '" + host() + "' failed", ex);
		}
		if (this.response.isCommitted()) {
			return;
		}
		try {
			this.intake.failed(this.dialect, this.response, id);
		}
		catch (IOException | RuntimeException | StackOverflowError answerFailure) {
			logger.debug("Cannot answer failed operation " + id, answerFailure);
			try {
				this.response.resetBuffer();
				this.response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			}
			catch (IllegalStateException committed) {
				logger.debug("Response of operation " + id + " already committed", committed);
			}
		}
	}

	private boolean refuse(int status, String reason, String text, boolean close, String what) {
		try {
			this.intake.refuse(this.dialect, this.response, status, reason, text, close);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot answer " + what + " operation " + this.operation.operationId(), ex);
			return false;
		}
	}

	private String host() {
		return this.intake.host().name();
	}

}
