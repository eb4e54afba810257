package io.github.cancellablesoap.server;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.ws.WebServiceMessageFactory;

import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * The intake of one {@link DefaultServiceHost}: an asynchronous servlet, mapped to the
 * host's path, that admits requests, reads their bodies without blocking, and runs them
 * through Spring WS with the operation's context in place.
 * <p>
 * A POST whose content type is not {@code text/xml} or {@code application/soap+xml} is
 * answered with HTTP 415, and one whose declared length exceeds the host's
 * {@code max-request-size} with HTTP 413, both before anything is admitted. A request is
 * admitted when the host and its listener are open, the host runs fewer than its maximum
 * of concurrent operations and receives fewer than its maximum of request bodies;
 * otherwise it is answered at once with the host's rejection status and a SOAP fault
 * ({@link CancellationFaults#REJECTED}). The body is read through a
 * {@link jakarta.servlet.ReadListener}, bounded in size, nesting and time while it
 * arrives (413, 400, 408 with {@link CancellationFaults#REFUSED}); once it is in, the
 * operation takes one of the host's concurrent operation slots and the endpoint runs on
 * the container thread that saw the end of the body, while the {@link CallerGoneDetector}
 * watches the connection. Whatever fails after admission ends the operation exactly once
 * and answers HTTP 500 with a SOAP fault. Endpoints are found through the Spring WS
 * endpoint mappings, adapters (with their {@code WsConfigurer} additions) and exception
 * resolvers of the application context; only those bound to the host (see
 * {@link HostedBy}) are served.
 * <p>
 * Each request is read and answered in its own SOAP version ({@link SoapDialects}): SOAP
 * 1.1 for {@code text/xml}, SOAP 1.2 for {@code application/soap+xml}, the host's own
 * faults (rejection, refusal, cancellation, failure) included. The rejection status is
 * the host's ({@link HostWire}: 503 with {@code Retry-After} by default, or 500).
 * {@code GET <path>?wsdl} is answered by the host's {@link WsdlPublication}; any other
 * method than POST with HTTP 405.
 * <p>
 * Every answer carries {@code Soap-Cancel: supported}; a POST with a
 * {@code Soap-Cancel-Call} header is a caller's explicit cancel, answered by
 * {@link CallerCancels} before anything is admitted. The caller's {@code Soap-Call-Token}
 * is kept in the operation only: operation listeners do not see it among the request's
 * headers.
 * <p>
 * Register it with {@code asyncSupported=true}. Thread-safe, like any servlet.
 *
 * @author Cancellable SOAP
 */
public final class ServiceHostServlet extends HttpServlet {

	/** The request header that carries the caller's call id. */
	public static final String CALL_ID_HEADER = WireProtocol.CALL_ID_HEADER;

	/** The request header that carries the caller's remaining time budget in ms. */
	public static final String CALL_TIMEOUT_HEADER = WireProtocol.CALL_TIMEOUT_HEADER;

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(ServiceHostServlet.class);

	private static final Pattern BUDGET = Pattern.compile("[+-]?[0-9]{1,40}");

	private static final String ACCEPTED_CONTENT_TYPES = "text/xml, application/soap+xml";

	private final transient DefaultServiceHost host;

	private final transient ApplicationContext applicationContext;

	private final transient CallerGoneDetector detector;

	private transient volatile @Nullable Intake intake;

	private transient volatile IntakeHooks hooks = IntakeHooks.NONE;

	/**
	 * Create the intake of a host.
	 * @param host the host
	 * @param applicationContext the context whose Spring WS endpoints, mappings, adapters
	 * and message factory are used
	 * @param detector how to notice that a caller went away
	 */
	public ServiceHostServlet(DefaultServiceHost host, ApplicationContext applicationContext,
			CallerGoneDetector detector) {
		this.host = host;
		this.applicationContext = applicationContext;
		this.detector = detector;
	}

	@Override
	public synchronized void init() throws ServletException {
		try {
			SoapDialects dialects = SoapDialects
				.of(this.applicationContext.getBeanProvider(WebServiceMessageFactory.class).getIfUnique());
			HostMessageDispatcher messageDispatcher = new HostMessageDispatcher(this.host.settings(),
					this.applicationContext);
			this.intake = new Intake(this.host, this.detector, dialects, messageDispatcher, this.hooks,
					WsdlPublication.of(this.host.settings(), this.applicationContext));
		}
		catch (Exception ex) {
			throw new ServletException("Cannot initialise the intake of service host '" + this.host.name() + "'", ex);
		}
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader(WireProtocol.CANCEL_SUPPORT_HEADER, WireProtocol.CANCEL_SUPPORTED);
		if (WsdlPublication.isWsdlRequest(request)) {
			intake().wsdl().answer(request, response);
			return;
		}
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		String cancelled = request.getHeader(WireProtocol.CANCEL_CALL_HEADER);
		if (cancelled != null) {
			CallerCancels.answer(this.host, cancelled, request.getHeader(WireProtocol.CALL_TOKEN_HEADER), response);
			return;
		}
		Intake current = intake();
		SoapDialects.Dialect dialect = current.dialects().of(request.getContentType());
		if (!isSoapContentType(request.getContentType())) {
			logger.debug("Refusing a request to service host '" + this.host.name() + "' with content type "
					+ printable(request.getContentType()));
			response.setHeader("Accept-Post", ACCEPTED_CONTENT_TYPES);
			current.refuse(dialect, response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
					"Service host '" + this.host.name() + "' accepts SOAP messages as " + ACCEPTED_CONTENT_TYPES
							+ ", not " + printable(request.getContentType()),
					true);
			return;
		}
		long maxBytes = this.host.settings().maxRequestBytes();
		if (request.getContentLengthLong() > maxBytes) {
			logger.debug("Refusing a request to service host '" + this.host.name() + "' of "
					+ request.getContentLengthLong() + " bytes");
			current.refuse(dialect, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request-too-large",
					"The request body of service host '" + this.host.name() + "' is larger than its limit of "
							+ maxBytes + " bytes (max-request-size)",
					true);
			return;
		}
		Admission admission;
		try {
			admission = this.host.admit(request.getRemoteAddr() + ":" + request.getRemotePort(),
					callId(request.getHeader(CALL_ID_HEADER)), budget(request.getHeader(CALL_TIMEOUT_HEADER)),
					CallerCancels.token(request.getHeader(WireProtocol.CALL_TOKEN_HEADER)),
					(name) -> WireProtocol.CALL_TOKEN_HEADER.equalsIgnoreCase(name) ? null : request.getHeader(name));
		}
		catch (Throwable ex) {
			// the host ended the operation it had admitted before the exception left it
			logger.error("Service host '" + this.host.name() + "' failed to admit a request", ex);
			Exchange.rethrowFatal(ex);
			current.failed(dialect, response, null);
			return;
		}
		Operation operation = admission.operation();
		if (operation == null) {
			current.reject(dialect, response, String.valueOf(admission.refusal()), admission.hostState(),
					admission.listenerState());
			return;
		}
		Exchange exchange;
		try {
			exchange = new Exchange(current, operation, request, response);
		}
		catch (Throwable ex) {
			operation.failed(ex);
			this.host.finish(operation);
			throw ex;
		}
		try {
			exchange.start();
		}
		catch (Throwable ex) {
			exchange.startFailed(ex);
			Exchange.rethrowFatal(ex);
		}
	}

	/**
	 * Make the intake call out to hooks between admission and dispatch; for tests.
	 * @param hooks the hooks, {@link IntakeHooks#NONE} for none
	 */
	synchronized void hooks(IntakeHooks hooks) {
		this.hooks = hooks;
		Intake current = this.intake;
		if (current != null) {
			this.intake = current.withHooks(hooks);
		}
	}

	static boolean isSoapContentType(@Nullable String contentType) {
		String type = SoapDialects.mediaType(contentType);
		return type.equalsIgnoreCase("text/xml") || type.equalsIgnoreCase("application/soap+xml");
	}

	/**
	 * A peer's header value fit for a log line and a fault string: bounded in length,
	 * printable ASCII only.
	 */
	private static String printable(@Nullable String value) {
		if (value == null) {
			return "none";
		}
		String cut = (value.length() > 64) ? value.substring(0, 64) + "..." : value;
		return "'" + cut.replaceAll("[^\\x20-\\x7E]", "?") + "'";
	}

	private static @Nullable String callId(@Nullable String header) {
		return Names.isPeerCallId(header) ? header : null;
	}

	/**
	 * The caller's budget: a number of milliseconds; negative counts as none left, a
	 * malformed value (or one with more digits than a budget can need) is ignored. The
	 * host cuts it to its {@code max-call-timeout}.
	 */
	static @Nullable Duration budget(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String value = header.trim();
		if (!BUDGET.matcher(value).matches()) {
			logger.debug("Ignoring a malformed " + CALL_TIMEOUT_HEADER + " header: " + printable(header));
			return null;
		}
		try {
			return Duration.ofMillis(Math.max(0, Long.parseLong(value)));
		}
		catch (NumberFormatException ex) {
			// more than a long holds: as long a budget as there can be
			return value.startsWith("-") ? Duration.ZERO : Duration.ofMillis(Long.MAX_VALUE);
		}
	}

	private Intake intake() {
		Intake current = this.intake;
		if (current == null) {
			throw new IllegalStateException("The intake of service host '" + this.host.name() + "' is not initialised");
		}
		return current;
	}

}
