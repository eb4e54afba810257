package io.github.cancellablesoap.client;

import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.xml.transform.Result;
import javax.xml.transform.Source;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceMessageCallback;
import org.springframework.ws.client.core.WebServiceMessageExtractor;
import org.springframework.ws.client.core.WebServiceOperations;

/**
 * Routes every {@link WebServiceOperations} method through one {@link #invoke} method,
 * and every {@link AsyncServiceOperations} method through one {@link #invokeAsync}
 * method, so that a proxy wraps each call in the same tracking whatever overload the
 * caller uses. An overload without a URI is its URI sibling with {@link #defaultUri()},
 * as in {@code WebServiceTemplate}.
 * <p>
 * Thread-safe when {@link #invoke} is.
 */
abstract class DelegatingOperations implements ServiceProxyView {

	/**
	 * Run one call.
	 * @param <T> the result type
	 * @param action the call, made on the underlying template
	 * @return the result
	 */
	abstract <T> @Nullable T invoke(Function<WebServiceOperations, @Nullable T> action);

	/**
	 * The address of calls that name none: the template's default URI, which the proxy
	 * sets to its address unless the template came with one.
	 * @return the default URI
	 */
	abstract @Nullable String defaultUri();

	/**
	 * Start one call of the non-blocking form.
	 * @param <T> the result type
	 * @param uri the address
	 * @param requestCallback writes the request
	 * @param responseExtractor reads the response, on the executor
	 * @param completionExecutor processes the answer
	 * @return the pending call
	 */
	abstract <T> PendingCall<T> invokeAsync(@Nullable String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor, Executor completionExecutor);

	/**
	 * What makes the callbacks and extractors of the non-blocking convenience forms.
	 * @return the proxy's async runner
	 */
	abstract AsyncCallRunner asyncRunner();

	@Override
	public <T> PendingCall<T> sendAsync(Object requestPayload, Executor completionExecutor) {
		return sendAsync(defaultUri(), requestPayload, null, completionExecutor);
	}

	@Override
	public <T> PendingCall<T> sendAsync(@Nullable String uri, Object requestPayload,
			@Nullable WebServiceMessageCallback requestCallback, Executor completionExecutor) {
		AsyncCallRunner runner = asyncRunner();
		return invokeAsync(uri, runner.marshalling(requestPayload, requestCallback), runner.unmarshalling(),
				completionExecutor);
	}

	@Override
	public <T> PendingCall<T> sendSourceAsync(Source requestPayload, SourceExtractor<T> responseExtractor,
			Executor completionExecutor) {
		AsyncCallRunner runner = asyncRunner();
		return invokeAsync(defaultUri(), runner.transforming(requestPayload), runner.extracting(responseExtractor),
				completionExecutor);
	}

	@Override
	public <T> PendingCall<T> sendAndReceiveAsync(String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor, Executor completionExecutor) {
		return invokeAsync(uri, requestCallback, responseExtractor, completionExecutor);
	}

	private boolean invokeTest(Predicate<WebServiceOperations> action) {
		return Boolean.TRUE.equals(invoke(action::test));
	}

	@Override
	public <T> @Nullable T sendAndReceive(WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor) {
		return sendAndReceive(defaultUri(), requestCallback, responseExtractor);
	}

	@Override
	public <T> @Nullable T sendAndReceive(String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageExtractor<T> responseExtractor) {
		return invoke((ops) -> ops.sendAndReceive(uri, requestCallback, responseExtractor));
	}

	@Override
	public boolean sendAndReceive(WebServiceMessageCallback requestCallback,
			WebServiceMessageCallback responseCallback) {
		return sendAndReceive(defaultUri(), requestCallback, responseCallback);
	}

	@Override
	public boolean sendAndReceive(String uri, WebServiceMessageCallback requestCallback,
			WebServiceMessageCallback responseCallback) {
		return invokeTest((ops) -> ops.sendAndReceive(uri, requestCallback, responseCallback));
	}

	@Override
	public @Nullable Object marshalSendAndReceive(Object requestPayload) {
		return marshalSendAndReceive(defaultUri(), requestPayload);
	}

	@Override
	public @Nullable Object marshalSendAndReceive(String uri, Object requestPayload) {
		return invoke((ops) -> ops.marshalSendAndReceive(uri, requestPayload));
	}

	@Override
	public @Nullable Object marshalSendAndReceive(Object requestPayload,
			@Nullable WebServiceMessageCallback requestCallback) {
		return marshalSendAndReceive(defaultUri(), requestPayload, requestCallback);
	}

	@Override
	public @Nullable Object marshalSendAndReceive(String uri, @Nullable Object requestPayload,
			@Nullable WebServiceMessageCallback requestCallback) {
		return invoke((ops) -> ops.marshalSendAndReceive(uri, requestPayload, requestCallback));
	}

	@Override
	public <T> @Nullable T sendSourceAndReceive(Source requestPayload, SourceExtractor<T> responseExtractor) {
		return sendSourceAndReceive(defaultUri(), requestPayload, responseExtractor);
	}

	@Override
	public <T> @Nullable T sendSourceAndReceive(String uri, Source requestPayload,
			SourceExtractor<T> responseExtractor) {
		return invoke((ops) -> ops.sendSourceAndReceive(uri, requestPayload, responseExtractor));
	}

	@Override
	public <T> @Nullable T sendSourceAndReceive(Source requestPayload, WebServiceMessageCallback requestCallback,
			SourceExtractor<T> responseExtractor) {
		return sendSourceAndReceive(defaultUri(), requestPayload, requestCallback, responseExtractor);
	}

	@Override
	public <T> @Nullable T sendSourceAndReceive(String uri, Source requestPayload,
			@Nullable WebServiceMessageCallback requestCallback, SourceExtractor<T> responseExtractor) {
		return invoke((ops) -> ops.sendSourceAndReceive(uri, requestPayload, requestCallback, responseExtractor));
	}

	@Override
	public boolean sendSourceAndReceiveToResult(Source requestPayload, Result responseResult) {
		return sendSourceAndReceiveToResult(defaultUri(), requestPayload, responseResult);
	}

	@Override
	public boolean sendSourceAndReceiveToResult(String uri, Source requestPayload, Result responseResult) {
		return invokeTest((ops) -> ops.sendSourceAndReceiveToResult(uri, requestPayload, responseResult));
	}

	@Override
	public boolean sendSourceAndReceiveToResult(Source requestPayload, WebServiceMessageCallback requestCallback,
			Result responseResult) {
		return sendSourceAndReceiveToResult(defaultUri(), requestPayload, requestCallback, responseResult);
	}

	@Override
	public boolean sendSourceAndReceiveToResult(String uri, Source requestPayload,
			WebServiceMessageCallback requestCallback, Result responseResult) {
		return invokeTest(
				(ops) -> ops.sendSourceAndReceiveToResult(uri, requestPayload, requestCallback, responseResult));
	}

}
