package io.github.cancellablesoap.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.transport.WebServiceConnection;

/**
 * The steps of {@code WebServiceTemplate#doSendAndReceive} that the non-blocking form of
 * a call ({@link AsyncCall}) runs in two halves, on two threads: the interceptor chains,
 * as the template runs them (request from first to last, stopping at one that says no;
 * response, fault and completion from that one back to the first; a completion callback
 * that throws is logged), and the template's own protected checks ({@code hasError},
 * {@code handleError}, {@code hasFault}, {@code handleFault}), called on the template
 * itself, so that a template subclass that overrides them is obeyed as in a blocking
 * call. The message tracing mirrors the template's (its
 * {@code org.springframework.ws.client.MessageTracing} categories).
 * <p>
 * Thread-safe: stateless.
 */
final class TemplateSteps {

	private static final Log logger = LogFactory.getLog(TemplateSteps.class);

	private static final Log sentTracing = LogFactory.getLog(WebServiceTemplate.MESSAGE_TRACING_LOG_CATEGORY + ".sent");

	private static final Log receivedTracing = LogFactory
		.getLog(WebServiceTemplate.MESSAGE_TRACING_LOG_CATEGORY + ".received");

	private static final @Nullable Handles HANDLES = Handles.find();

	private TemplateSteps() {
	}

	/**
	 * Check that the template's protected steps can be reached.
	 * @throws UnsupportedOperationException when they cannot (Spring WS on the module
	 * path without its package opened)
	 */
	static void check() {
		if (HANDLES == null) {
			throw new UnsupportedOperationException("The non-blocking form needs WebServiceTemplate's protected "
					+ "response checks, which this runtime does not open; use the blocking calls or submit()");
		}
	}

	static void handleResponse(ClientInterceptor @Nullable [] interceptors, int index, MessageContext context) {
		if (context.hasResponse() && interceptors != null) {
			for (int i = index; i >= 0; i--) {
				if (!interceptors[i].handleResponse(context)) {
					break;
				}
			}
		}
	}

	static void handleFault(ClientInterceptor @Nullable [] interceptors, int index, MessageContext context) {
		if (context.hasResponse() && interceptors != null) {
			for (int i = index; i >= 0; i--) {
				if (!interceptors[i].handleFault(context)) {
					break;
				}
			}
		}
	}

	static void afterCompletion(ClientInterceptor @Nullable [] interceptors, int index, MessageContext context,
			@Nullable Exception ex) {
		if (interceptors != null) {
			for (int i = index; i >= 0; i--) {
				try {
					interceptors[i].afterCompletion(context, ex);
				}
				catch (Exception failure) {
					logger.error("ClientInterceptor.afterCompletion threw exception", failure);
				}
			}
		}
	}

	static boolean hasError(WebServiceTemplate template, WebServiceConnection connection, WebServiceMessage request)
			throws IOException {
		try {
			return (boolean) handles().hasError.invokeExact(template, connection, request);
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	static @Nullable Object handleError(WebServiceTemplate template, WebServiceConnection connection,
			WebServiceMessage request) throws IOException {
		try {
			return (Object) handles().handleError.invokeExact(template, connection, request);
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	static boolean hasFault(WebServiceTemplate template, WebServiceConnection connection, WebServiceMessage response)
			throws IOException {
		try {
			return (boolean) handles().hasFault.invokeExact(template, connection, response);
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	static @Nullable Object handleFault(WebServiceTemplate template, WebServiceConnection connection,
			MessageContext context) throws IOException {
		try {
			return (Object) handles().handleFault.invokeExact(template, connection, context);
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	/**
	 * What a template step threw, to throw again: an {@link IOException} is returned,
	 * unchecked throwables are thrown from here.
	 */
	private static IOException rethrown(Throwable ex) {
		if (ex instanceof IOException io) {
			return io;
		}
		if (ex instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (ex instanceof Error error) {
			throw error;
		}
		throw new IllegalStateException(ex);
	}

	static void traceSent(WebServiceMessage request) throws IOException {
		if (sentTracing.isTraceEnabled()) {
			sentTracing.trace("Sent request [" + text(request) + "]");
		}
		else if (sentTracing.isDebugEnabled()) {
			sentTracing.debug("Sent request [" + request + "]");
		}
	}

	static void traceReceived(MessageContext context) throws IOException {
		if (!context.hasResponse()) {
			if (receivedTracing.isDebugEnabled()) {
				receivedTracing.debug("Received no response for request [" + context.getRequest() + "]");
			}
		}
		else if (receivedTracing.isTraceEnabled()) {
			receivedTracing.trace("Received response [" + text(context.getResponse()) + "] for request ["
					+ text(context.getRequest()) + "]");
		}
		else if (receivedTracing.isDebugEnabled()) {
			receivedTracing
				.debug("Received response [" + context.getResponse() + "] for request [" + context.getRequest() + "]");
		}
	}

	private static String text(WebServiceMessage message) throws IOException {
		if (message instanceof SentRequest) {
			return message.toString();
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		message.writeTo(bytes);
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static Handles handles() {
		check();
		return HANDLES;
	}

	/**
	 * The template's protected steps, looked up once.
	 */
	private record Handles(MethodHandle hasError, MethodHandle handleError, MethodHandle hasFault,
			MethodHandle handleFault) {

		static @Nullable Handles find() {
			try {
				MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(WebServiceTemplate.class,
						MethodHandles.lookup());
				Class<WebServiceTemplate> type = WebServiceTemplate.class;
				return new Handles(
						lookup.findVirtual(type, "hasError",
								MethodType.methodType(boolean.class, WebServiceConnection.class,
										WebServiceMessage.class)),
						lookup.findVirtual(type, "handleError",
								MethodType.methodType(Object.class, WebServiceConnection.class,
										WebServiceMessage.class)),
						lookup.findVirtual(type, "hasFault",
								MethodType.methodType(boolean.class, WebServiceConnection.class,
										WebServiceMessage.class)),
						lookup.findVirtual(type, "handleFault",
								MethodType.methodType(Object.class, WebServiceConnection.class, MessageContext.class)));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.warn("WebServiceTemplate's protected response checks cannot be reached; "
						+ "the non-blocking form of proxy calls is unavailable", ex);
				return null;
			}
		}

	}

}
