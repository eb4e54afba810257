package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
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

import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * One admitted request on its way through a host's intake: the body is received without
 * blocking, then the endpoint runs on the container thread that saw the end of the body
 * while the caller-gone detector watches the connection; the operation ends in any case.
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

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletInputStream input;

	Exchange(Intake intake, Operation operation, HttpServletRequest request, HttpServletResponse response) {
		this.intake = intake;
		this.operation = operation;
		this.request = request;
		this.response = response;
		long length = request.getContentLengthLong();
		this.body = new ByteArrayOutputStream((length > 0 && length < 1 << 20) ? (int) length : 4096);
	}

	void start() throws IOException {
		AsyncContext context = this.request.startAsync(this.request, this.response);
		context.setTimeout(0);
		context.addListener(this);
		this.async = context;
		ServletInputStream stream = this.request.getInputStream();
		this.input = stream;
		stream.setReadListener(this);
	}

	@Override
	public void onDataAvailable() throws IOException {
		ServletInputStream stream = this.input;
		byte[] buffer = new byte[8192];
		while (stream != null && this.phase.get() == RECEIVING && stream.isReady()) {
			int read = stream.read(buffer);
			if (read < 0) {
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
		drop();
	}

	@Override
	public void onError(AsyncEvent event) {
		this.operation.cancel(CancelReason.CALLER_GONE, "the connection failed");
		drop();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
	}

	@Override
	public void onComplete(AsyncEvent event) {
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/**
	 * End the exchange before the endpoint ran, when the container reported that the
	 * connection failed while the body was being received. An operation cancelled while
	 * its body is being received is not dropped: it answers with the cancellation fault
	 * once the body is in, because completing the exchange while the container still
	 * reads for it is not safe.
	 */
	void drop() {
		if (!this.phase.compareAndSet(RECEIVING, DONE)) {
			return;
		}
		complete();
		this.intake.host().finish(this.operation);
	}

	private void run() {
		Operation current = this.operation;
		if (!current.isCancellationRequested() && !this.intake.host().admits()) {
			current.answered(OperationOutcome.REJECTED);
			try {
				HostState hostState = this.intake.host().state();
				ListenerState listenerState = this.intake.host().listenerState();
				this.intake.reject(this.response,
						"Service host '" + this.intake.host().name()
								+ "' dropped the request while receiving it: it is " + hostState + " and its listener "
								+ listenerState,
						hostState, listenerState);
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
		current.attach(Thread.currentThread());
		Operation.CURRENT.set(current);
		try {
			watch = this.intake.detector()
				.watch(this.request,
						() -> current.cancel(CancelReason.CALLER_GONE, "the caller closed its connection"));
			this.intake.adapter()
				.handle(new BufferedRequest(this.request, this.body.toByteArray()), this.response,
						this.intake.dispatcher());
		}
		catch (Exception ex) {
			failed(ex);
		}
		finally {
			watch.cancel();
			Operation.CURRENT.remove();
			current.detach();
			this.phase.set(DONE);
			complete();
			this.intake.host().finish(current);
		}
	}

	private void failed(Exception ex) {
		this.operation.failed(ex);
		if (this.operation.isCancellationRequested()) {
			logger.debug("Cancelled operation " + this.operation.operationId() + " failed", ex);
		}
		else {
			logger.warn("Operation " + this.operation.operationId() + " of service host '" + this.intake.host().name()
					+ "' failed", ex);
		}
		if (!this.response.isCommitted()) {
			this.response.resetBuffer();
			this.response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
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
