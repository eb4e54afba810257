package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.ws.WebServiceMessageFactory;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;
import org.springframework.ws.transport.http.WebServiceMessageReceiverHandlerAdapter;

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
	public static final String CALL_ID_HEADER = "Soap-Call-Id";

	/** The request header that carries the caller's remaining time budget in ms. */
	public static final String CALL_TIMEOUT_HEADER = "Soap-Call-Timeout";

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(ServiceHostServlet.class);

	private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

	private static final CallerGoneDetector.Watch NO_WATCH = () -> {
	};

	private static final int RECEIVING = 0;

	private static final int RUNNING = 1;

	private static final int DONE = 2;

	private final transient DefaultServiceHost host;

	private final transient ApplicationContext applicationContext;

	private final transient CallerGoneDetector detector;

	private transient @Nullable WebServiceMessageFactory messageFactory;

	private transient @Nullable HostMessageDispatcher dispatcher;

	private transient @Nullable WebServiceMessageReceiverHandlerAdapter adapter;

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
			this.messageFactory = factory;
			this.dispatcher = messageDispatcher;
			this.adapter = handlerAdapter;
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
		Admission admission = this.host.admit(request.getRemoteAddr() + ":" + request.getRemotePort(),
				callId(request.getHeader(CALL_ID_HEADER)), budget(request.getHeader(CALL_TIMEOUT_HEADER)));
		Operation operation = admission.operation();
		if (operation == null) {
			writeRejection(response, admission.refusal(), admission.hostState(), admission.listenerState());
			return;
		}
		Exchange exchange = new Exchange(operation, request, response);
		try {
			exchange.start();
		}
		catch (IOException | RuntimeException ex) {
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

	private void writeRejection(HttpServletResponse response, @Nullable String text, HostState hostState,
			ListenerState listenerState) throws IOException {
		SoapMessage message = (SoapMessage) factory().createWebServiceMessage();
		CancellationFaults.addRejectedFault(message, this.host.name(), (text != null) ? text : "Refused", hostState,
				listenerState);
		writeFault(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, message);
	}

	private static void writeFault(HttpServletResponse response, int status, SoapMessage message) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		message.writeTo(bytes);
		response.setStatus(status);
		response.setContentType(message.getVersion().getContentType() + ";charset=UTF-8");
		response.setContentLength(bytes.size());
		response.getOutputStream().write(bytes.toByteArray());
	}

	private WebServiceMessageFactory factory() {
		WebServiceMessageFactory factory = this.messageFactory;
		if (factory == null) {
			throw new IllegalStateException("The intake of service host '" + this.host.name() + "' is not initialised");
		}
		return factory;
	}

	/**
	 * One admitted request on its way: body reception, then the endpoint run.
	 */
	private final class Exchange implements ReadListener, AsyncListener {

		private final Operation operation;

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final AtomicInteger phase = new AtomicInteger(RECEIVING);

		private final ByteArrayOutputStream body;

		private @Nullable AsyncContext async;

		private @Nullable ServletInputStream input;

		Exchange(Operation operation, HttpServletRequest request, HttpServletResponse response) {
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
		 * connection failed while the body was being received. An operation cancelled
		 * while its body is being received is not dropped: it answers with the
		 * cancellation fault once the body is in, because completing the exchange while
		 * the container still reads for it is not safe.
		 */
		void drop() {
			if (!this.phase.compareAndSet(RECEIVING, DONE)) {
				return;
			}
			complete();
			ServiceHostServlet.this.host.finish(this.operation);
		}

		private void run() {
			Operation current = this.operation;
			if (!current.isCancellationRequested() && !ServiceHostServlet.this.host.admits()) {
				try {
					HostState hostState = ServiceHostServlet.this.host.state();
					ListenerState listenerState = ServiceHostServlet.this.host.listenerState();
					writeRejection(this.response,
							"Service host '" + ServiceHostServlet.this.host.name()
									+ "' dropped the request while receiving it: it is " + hostState
									+ " and its listener " + listenerState,
							hostState, listenerState);
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Cannot answer dropped operation " + current.operationId(), ex);
				}
				finally {
					this.phase.set(DONE);
					complete();
					ServiceHostServlet.this.host.finish(current);
				}
				return;
			}
			CallerGoneDetector.Watch watch = NO_WATCH;
			current.attach(Thread.currentThread());
			Operation.CURRENT.set(current);
			try {
				watch = ServiceHostServlet.this.detector.watch(this.request,
						() -> current.cancel(CancelReason.CALLER_GONE, "the caller closed its connection"));
				handler().handle(new BufferedRequest(this.request, this.body.toByteArray()), this.response,
						dispatcher());
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
				ServiceHostServlet.this.host.finish(current);
			}
		}

		private void failed(Exception ex) {
			if (this.operation.isCancellationRequested()) {
				logger.debug("Cancelled operation " + this.operation.operationId() + " failed", ex);
			}
			else {
				logger.warn("Operation " + this.operation.operationId() + " of service host '"
						+ ServiceHostServlet.this.host.name() + "' failed", ex);
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

		private WebServiceMessageReceiverHandlerAdapter handler() {
			WebServiceMessageReceiverHandlerAdapter handler = ServiceHostServlet.this.adapter;
			if (handler == null) {
				throw new IllegalStateException("Not initialised");
			}
			return handler;
		}

		private HostMessageDispatcher dispatcher() {
			HostMessageDispatcher messageDispatcher = ServiceHostServlet.this.dispatcher;
			if (messageDispatcher == null) {
				throw new IllegalStateException("Not initialised");
			}
			return messageDispatcher;
		}

	}

}
