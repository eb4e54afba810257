package io.github.cancellablesoap.client;

import java.util.concurrent.Executor;

import javax.xml.transform.Source;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceMessageCallback;
import org.springframework.ws.client.core.WebServiceMessageExtractor;

/**
 * The non-blocking form of a proxy's calls, for high fan-out: no thread is held while a
 * call is pending.
 * <p>
 * The calling thread admits the call, creates and marshals the request (the template's
 * client interceptors' {@code handleRequest} included) and starts the exchange, then gets
 * the {@link PendingCall} back, with its call id, while the request goes out. While the
 * call is pending it holds no thread: the transport's I/O reactor watches its socket.
 * When the response arrives, or a failure, an abandon, an abort or the call timeout ends
 * the call, a task on the {@code completionExecutor} does what the rest of a
 * {@code WebServiceTemplate} call would: it checks the HTTP status, reads the response,
 * runs the interceptors' {@code handleResponse}/{@code handleFault} and
 * {@code afterCompletion}, resolves a fault, unmarshals the payload, tells the proxy's
 * listeners how the call ended and completes the pending call's result. The result's
 * continuations therefore run on that executor too, never on an I/O or timer thread.
 * <p>
 * The call is otherwise a call like any other of its proxy: tracked and listed, counted
 * by {@code max-pending-calls}, abandonable and abortable (by call id, by
 * {@link PendingCall#cancel(boolean)}, by a proxy abort or close), ended by its call
 * timeout (the proxy's, or its view's), heard by listeners, and it carries the call id,
 * the remaining budget and the cancel capability to its host, following the operation
 * current on the calling thread unless made through a {@link ServiceProxy#detached()}
 * view.
 * <p>
 * The time a complete answer waits in the executor's queue is not charged to the call: a
 * response fully received before the call's deadline is not failed because its task
 * waited for a thread.
 * <p>
 * The executor rule: {@code completionExecutor} should run the task on a thread of its
 * own. Its {@code execute} is never called on HttpClient's I/O reactor or another thread
 * the product shares: the thread that ended the call hands the answer to the product's
 * application pool, which calls {@code execute}, so one that blocks holds up only its own
 * calls. A task it runs at once on the thread that handed it over (a direct executor, or
 * a caller-runs policy; an application-pool thread, or the calling thread when the answer
 * was already there) is moved to the product's application pool instead, so that
 * unmarshalling and application code never run on an I/O or product thread, nor inside
 * these methods; the proxy warns about it once. An executor that refuses the task (throws
 * from {@code execute}) fails that call only: its result completes exceptionally with
 * what the executor threw, its listeners hear it end as FAILED (or as the cancellation
 * that ended it) and its slot is freed.
 * <p>
 * An executor that accepts a task and then drops it (a discard policy, a
 * {@code shutdownNow()} that empties its queue) leaves that call pending, listed and
 * holding its {@code max-pending-calls} slot, until the proxy is aborted, or closed and
 * its close-timeout has passed. Either ends every call whose task was handed over and has
 * not run as ABORTED: its slot is freed at once, its result completes exceptionally with
 * a {@link CallAbortedException}, and the interceptors' {@code afterCompletion}, the
 * listeners' end event and the result's continuations run on the product's application
 * pool. The call is processed once: a task that runs after that does nothing (also one
 * that was only queued in a busy executor when the proxy was aborted).
 * <p>
 * Failures before the request went out (marshalling, an interceptor, a rejected call
 * already admitted, a cancellation that came first, an {@code Error} from an
 * interceptor's {@code afterCompletion}) also complete the result exceptionally, on the
 * calling thread, as does a timer that cannot take the call's timeout (the call's I/O is
 * then cancelled); only a call the proxy refuses to admit (not OPEN, quota full) throws
 * {@link CallRejectedException} at once, as the blocking form does.
 * <p>
 * Implementations are thread-safe.
 *
 * @author Cancellable SOAP
 */
public interface AsyncServiceOperations {

	/**
	 * Marshal a request payload with the template's marshaller, send it to the proxy's
	 * address and unmarshal the response with its unmarshaller on the completion
	 * executor.
	 * @param <T> the type the unmarshaller gives (not checked)
	 * @param requestPayload the payload
	 * @param completionExecutor runs the response's processing; see the class javadoc
	 * @return the pending call
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	<T> PendingCall<T> sendAsync(Object requestPayload, Executor completionExecutor);

	/**
	 * Marshal a request payload, let a callback complete the request, send it to an
	 * address and unmarshal the response on the completion executor.
	 * @param <T> the type the unmarshaller gives (not checked)
	 * @param uri the address
	 * @param requestPayload the payload
	 * @param requestCallback completes the request message on the calling thread; may be
	 * {@code null}
	 * @param completionExecutor runs the response's processing
	 * @return the pending call
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	<T> PendingCall<T> sendAsync(String uri, Object requestPayload, @Nullable WebServiceMessageCallback requestCallback,
			Executor completionExecutor);

	/**
	 * Send a request payload given as a {@link Source} to the proxy's address and extract
	 * the response payload on the completion executor.
	 * @param <T> the result type
	 * @param requestPayload the payload
	 * @param responseExtractor reads the response payload, on the completion executor
	 * @param completionExecutor runs the response's processing
	 * @return the pending call
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	<T> PendingCall<T> sendSourceAsync(Source requestPayload, SourceExtractor<T> responseExtractor,
			Executor completionExecutor);

	/**
	 * The general form: a callback writes the request message, an extractor reads the
	 * response message.
	 * @param <T> the result type
	 * @param uri the address
	 * @param requestCallback writes the request message on the calling thread
	 * @param responseExtractor reads the response message, on the completion executor
	 * @param completionExecutor runs the response's processing
	 * @return the pending call
	 * @throws CallRejectedException when the proxy is not open or its quota is full
	 */
	<T> PendingCall<T> sendAndReceiveAsync(String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor, Executor completionExecutor);

}
