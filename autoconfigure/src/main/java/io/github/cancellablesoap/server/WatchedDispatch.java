package io.github.cancellablesoap.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * Runs one admitted operation's endpoint through Spring WS while its caller is watched:
 * the operation is attached to the serving thread (so that an abort can interrupt it) and
 * is the thread's current operation, its cancellation scope the thread's current scope
 * (so that downstream proxy calls inherit its deadline and cancellation), what its
 * listener makes current for it (its observation) is current while the endpoint runs, and
 * the {@link CallerGoneDetector} cancels it with {@link CancelReason#CALLER_GONE} if the
 * connection drops meanwhile. Whatever happens, the watch is stopped and the thread is
 * clean again (no current operation or scope, no interrupt left) before {@link #run}
 * returns or throws.
 * <p>
 * Thread-safe: stateless. {@link #run} runs on the container thread that saw the end of
 * the body; the detector's callback, on its own thread, only cancels the operation.
 */
final class WatchedDispatch {

	private static final Log logger = LogFactory.getLog(WatchedDispatch.class);

	private static final CallerGoneDetector.Watch NO_WATCH = () -> {
	};

	private WatchedDispatch() {
	}

	/**
	 * Dispatch a request whose body is in.
	 * @param intake the host's intake
	 * @param dialect the request's SOAP version
	 * @param operation the operation, allowed to run
	 * @param request the request, in asynchronous mode
	 * @param response the response
	 * @param body the request's body
	 * @throws Exception what the dispatch threw
	 */
	static void run(Intake intake, SoapDialects.Dialect dialect, Operation operation, HttpServletRequest request,
			HttpServletResponse response, byte[] body) throws Exception {
		CallerGoneDetector.Watch watch = NO_WATCH;
		operation.attach(Thread.currentThread());
		Operation.CURRENT.set(operation);
		CancellationScope.Attachment scope = operation.scope().attach();
		try {
			intake.hooks().before(IntakeHooks.Step.WATCH);
			watch = intake.detector()
				.watch(request, () -> operation.cancel(CancelReason.CALLER_GONE, "the caller closed its connection"));
			intake.hooks().before(IntakeHooks.Step.DISPATCH);
			try (OperationListener.ServingScope serving = operation.serving()) {
				dialect.adapter().handle(new BufferedRequest(request, body), response, intake.dispatcher());
			}
		}
		finally {
			try {
				watch.cancel();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot stop watching the caller of operation " + operation.operationId(), ex);
			}
			scope.close();
			Operation.CURRENT.remove();
			operation.detach();
		}
	}

}
