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
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;
import org.springframework.ws.transport.http.WebServiceMessageReceiverHandlerAdapter;

import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;

/**
 * The intake of one {@link DefaultServiceHost}: an asynchronous servlet, mapped to the
 * host's path, that admits requests, reads their bodies without blocking, and runs them
 * through Spring WS with the operation's context in place.
 * <p>
 * A request is admitted when the host and its listener are open and the host runs fewer
 * than its maximum of concurrent operations; otherwise it is answered at once with HTTP
 * 503 and a SOAP fault ({@link CancellationFaults#REJECTED}). The body is read through a
 * {@link ReadListener}; the endpoint then runs on the container thread that saw the end
 * of the body, while the {@link CallerGoneDetector} watches the connection. Endpoints are
 * found through the Spring WS endpoint mappings, adapters (with their
 * {@code WsConfigurer} additions) and exception resolvers of the application context;
 * only those bound to the host (see {@link HostedBy}) are served. WSDL publication is not
 * handled here.
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

	private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

	private final transient DefaultServiceHost host;

	private final transient ApplicationContext applicationContext;

	private final transient CallerGoneDetector detector;

	private transient volatile @Nullable Intake intake;

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
	public void init() throws ServletException {
		try {
			WebServiceMessageFactory factory = this.applicationContext.getBeanProvider(WebServiceMessageFactory.class)
				.getIfUnique(ServiceHostServlet::defaultMessageFactory);
			HostMessageDispatcher messageDispatcher = new HostMessageDispatcher(this.host.settings(),
					this.applicationContext);
			WebServiceMessageReceiverHandlerAdapter handlerAdapter = new WebServiceMessageReceiverHandlerAdapter();
			handlerAdapter.setMessageFactory(factory);
			handlerAdapter.afterPropertiesSet();
			this.intake = new Intake(this.host, this.detector, factory, handlerAdapter, messageDispatcher);
		}
		catch (Exception ex) {
			throw new ServletException("Cannot initialise the intake of service host '" + this.host.name() + "'", ex);
		}
	}

	private static WebServiceMessageFactory defaultMessageFactory() {
		SaajSoapMessageFactory factory = new SaajSoapMessageFactory();
		factory.afterPropertiesSet();
		return factory;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		Intake current = intake();
		Admission admission = this.host.admit(request.getRemoteAddr() + ":" + request.getRemotePort(),
				callId(request.getHeader(CALL_ID_HEADER)), budget(request.getHeader(CALL_TIMEOUT_HEADER)));
		Operation operation = admission.operation();
		if (operation == null) {
			current.reject(response, String.valueOf(admission.refusal()), admission.hostState(),
					admission.listenerState());
			return;
		}
		Exchange exchange = new Exchange(current, operation, request, response);
		try {
			exchange.start();
		}
		catch (IOException | RuntimeException ex) {
			operation.failed(ex);
			exchange.drop();
			throw ex;
		}
	}

	private static @Nullable String callId(@Nullable String header) {
		return (header != null && CALL_ID.matcher(header).matches()) ? header : null;
	}

	private static @Nullable Duration budget(@Nullable String header) {
		if (header == null) {
			return null;
		}
		try {
			return Duration.ofMillis(Math.max(0, Long.parseLong(header.trim())));
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignoring a malformed " + CALL_TIMEOUT_HEADER + " header: " + header);
			return null;
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
