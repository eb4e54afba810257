package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.xml.transform.Source;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.oxm.Marshaller;
import org.springframework.oxm.Unmarshaller;
import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceMessageCallback;
import org.springframework.ws.client.core.WebServiceMessageExtractor;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.support.MarshallingUtils;
import org.springframework.xml.transform.TransformerHelper;

/**
 * Admits and starts a proxy's calls of the non-blocking form
 * ({@link AsyncServiceOperations}), each an {@link AsyncCall}, and makes the request
 * callbacks and response extractors of its convenience forms as
 * {@code WebServiceTemplate} makes them (the template's marshaller and unmarshaller, a
 * transformer for a {@link Source}).
 * <p>
 * Admission is the blocking form's ({@link CallRunner#admit}): the same state checks,
 * quota, listener and upstream scope; the call's timeout is a task on the proxy's
 * {@link io.github.cancellablesoap.core.CancellationTimer} instead of a waiting caller.
 * <p>
 * Thread-safe: any number of callers may start calls at once.
 */
final class AsyncCallRunner {

	private static final Log logger = LogFactory.getLog(AsyncCallRunner.class);

	private final CallRunner runner;

	private final CallEnvironment environment;

	private final WebServiceTemplate template;

	private final ProxyTransport transport;

	private final TransformerHelper transformers = new TransformerHelper();

	/**
	 * Whether the warning about a completion executor that runs tasks at once was logged.
	 */
	private final AtomicBoolean warnedInline = new AtomicBoolean();

	/**
	 * The address last called, parsed: pending calls to one address share one immutable
	 * {@link URI} instead of keeping a parse each.
	 */
	private volatile @Nullable Address lastAddress;

	AsyncCallRunner(CallRunner runner, CallEnvironment environment, WebServiceTemplate template,
			ProxyTransport transport) {
		this.runner = runner;
		this.environment = environment;
		this.template = template;
		this.transport = transport;
	}

	/**
	 * Admit a call and send its request on the current thread; its answer is processed on
	 * the executor.
	 * @param <T> the result type
	 * @param timeout the call timeout
	 * @param inherit whether the call follows the scope current on this thread
	 * @param uri the address
	 * @param requestCallback writes the request
	 * @param extractor reads the response, on the executor
	 * @param executor processes the answer
	 * @return the pending call
	 */
	<T> PendingCall<T> send(Duration timeout, boolean inherit, @Nullable String uri,
			WebServiceMessageCallback requestCallback, WebServiceMessageExtractor<T> extractor, Executor executor) {
		Objects.requireNonNull(executor, "A completion executor is required");
		Objects.requireNonNull(requestCallback, "A request callback is required");
		Objects.requireNonNull(extractor, "A response extractor is required");
		if (uri == null || uri.isEmpty()) {
			throw new IllegalArgumentException("Proxy '" + proxyName() + "' has no address to call");
		}
		TemplateSteps.check();
		Call call = this.runner.admit(timeout, inherit);
		AsyncCall<T> async;
		try {
			async = new AsyncCall<>(this, call, extractor, executor);
			call.submitted(async);
		}
		catch (Throwable ex) {
			call.callerLeft();
			throw ex;
		}
		async.send(uri, requestCallback);
		return new PendingCall<>(call.callId(), async);
	}

	/**
	 * The parsed address, shared with earlier calls to the same one.
	 * @param uri the address
	 * @return its URI
	 */
	URI address(String uri) {
		Address last = this.lastAddress;
		if (last != null && last.text().equals(uri)) {
			return last.uri();
		}
		URI parsed = URI.create(uri);
		this.lastAddress = new Address(uri, parsed);
		return parsed;
	}

	/**
	 * Note that a completion executor ran a task at once on the thread that handed it
	 * over (a direct executor, a caller-runs policy): a warning the first time for this
	 * proxy, then at debug level, so that such an executor does not log once per call.
	 */
	void ranInline() {
		boolean first = this.warnedInline.compareAndSet(false, true);
		if (first || logger.isDebugEnabled()) {
			String message = "A completion executor of proxy '" + proxyName()
					+ "' ran a call's task at once on the thread that handed it over; such tasks run on the "
					+ "application pool (soap-application-N) instead";
			if (first) {
				logger.warn(message + " (logged once per proxy; later ones at debug level)");
			}
			else {
				logger.debug(message);
			}
		}
	}

	ScheduledFuture<?> scheduleTimeout(Call call) {
		return this.environment.timer().schedule(call::timeOut, Duration.ofNanos(Math.max(0, call.remainingNanos())));
	}

	/**
	 * The request callback of a marshalled payload, as {@code marshalSendAndReceive}
	 * writes it.
	 * @param payload the payload, or {@code null} for an empty body
	 * @param requestCallback completes the request after marshalling, or {@code null}
	 * @return the callback
	 */
	WebServiceMessageCallback marshalling(@Nullable Object payload,
			@Nullable WebServiceMessageCallback requestCallback) {
		return (request) -> {
			if (payload != null) {
				Marshaller marshaller = this.template.getMarshaller();
				if (marshaller == null) {
					throw new IllegalStateException(
							"No marshaller registered. Check configuration of WebServiceTemplate.");
				}
				MarshallingUtils.marshal(marshaller, payload, request);
				if (requestCallback != null) {
					requestCallback.doWithMessage(request);
				}
			}
		};
	}

	/**
	 * The response extractor of {@code marshalSendAndReceive}: the template's
	 * unmarshaller.
	 * @param <T> the type the unmarshaller gives (not checked)
	 * @return the extractor
	 */
	@SuppressWarnings("unchecked")
	<T> WebServiceMessageExtractor<T> unmarshalling() {
		return (response) -> {
			Unmarshaller unmarshaller = this.template.getUnmarshaller();
			if (unmarshaller == null) {
				throw new IllegalStateException(
						"No unmarshaller registered. Check configuration of WebServiceTemplate.");
			}
			return (T) MarshallingUtils.unmarshal(unmarshaller, response);
		};
	}

	/**
	 * The request callback of a {@link Source} payload.
	 * @param payload the payload
	 * @return the callback
	 */
	WebServiceMessageCallback transforming(Source payload) {
		Objects.requireNonNull(payload, "A request payload is required");
		return (request) -> this.transformers.transform(payload, request.getPayloadResult());
	}

	/**
	 * The response extractor that hands the response payload to a
	 * {@link SourceExtractor}.
	 * @param <T> the result type
	 * @param extractor the source extractor
	 * @return the extractor
	 */
	<T> WebServiceMessageExtractor<T> extracting(SourceExtractor<T> extractor) {
		Objects.requireNonNull(extractor, "A source extractor is required");
		return (response) -> extractor.extractData(response.getPayloadSource());
	}

	WebServiceTemplate template() {
		return this.template;
	}

	ProxyTransport transport() {
		return this.transport;
	}

	CallNotifier notifier() {
		return this.environment.notifier();
	}

	String proxyName() {
		return this.environment.proxyName();
	}

	private record Address(String text, URI uri) {

	}

}
