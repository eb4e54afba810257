package io.github.cancellablesoap.server;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ws.InvalidXmlException;
import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.WebServiceMessageFactory;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;
import org.springframework.ws.transport.http.WebServiceMessageReceiverHandlerAdapter;

/**
 * The two SOAP versions a host speaks, each with the message factory that reads its
 * requests and writes its answers and the Spring WS adapter that runs a request through
 * the host with that factory, so that every request is answered in its own version,
 * faults included. A request's version is told by its content type:
 * {@code application/soap+xml} is SOAP 1.2, anything else SOAP 1.1 (the only other type a
 * host accepts is {@code text/xml}).
 * <p>
 * The application's {@link WebServiceMessageFactory} bean, when it has exactly one that
 * makes SOAP messages, serves the version it makes; a SAAJ factory of the default
 * settings serves the other.
 * <p>
 * Immutable and thread-safe once built.
 */
final class SoapDialects {

	private static final Log logger = LogFactory.getLog(SoapDialects.class);

	private final Dialect soap11;

	private final Dialect soap12;

	private SoapDialects(Dialect soap11, Dialect soap12) {
		this.soap11 = soap11;
		this.soap12 = soap12;
	}

	/**
	 * The dialects of a host.
	 * @param application the application's message factory, or {@code null}
	 * @return the dialects
	 * @throws Exception when an adapter cannot be initialised
	 */
	static SoapDialects of(@Nullable WebServiceMessageFactory application) throws Exception {
		SoapVersion own = versionOf(application);
		WebServiceMessageFactory factory11 = (own == SoapVersion.SOAP_11 && application != null) ? application
				: saaj(SoapVersion.SOAP_11);
		WebServiceMessageFactory factory12 = (own == SoapVersion.SOAP_12 && application != null) ? application
				: saaj(SoapVersion.SOAP_12);
		return new SoapDialects(Dialect.of(SoapVersion.SOAP_11, factory11), Dialect.of(SoapVersion.SOAP_12, factory12));
	}

	/**
	 * The dialect of a request.
	 * @param contentType the request's content type, may be {@code null}
	 * @return SOAP 1.2 for {@code application/soap+xml}, else SOAP 1.1
	 */
	Dialect of(@Nullable String contentType) {
		return isSoap12(contentType) ? this.soap12 : this.soap11;
	}

	static boolean isSoap12(@Nullable String contentType) {
		return mediaType(contentType).equalsIgnoreCase("application/soap+xml");
	}

	/**
	 * The media type of a content type, without its parameters.
	 * @param contentType the content type, may be {@code null}
	 * @return the media type, empty for none
	 */
	static String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return "";
		}
		int end = contentType.indexOf(';');
		return ((end >= 0) ? contentType.substring(0, end) : contentType).trim();
	}

	private static @Nullable SoapVersion versionOf(@Nullable WebServiceMessageFactory factory) {
		if (factory == null) {
			return null;
		}
		try {
			WebServiceMessage message = factory.createWebServiceMessage();
			return (message instanceof SoapMessage soap) ? soap.getVersion() : null;
		}
		catch (RuntimeException ex) {
			// a factory that only reads (SAAJ's dynamic protocol) cannot answer
			logger.info("Service hosts answer with their own SOAP message factories: the application's " + factory
					+ " cannot create messages (" + ex + ")");
			return null;
		}
	}

	private static SaajSoapMessageFactory saaj(SoapVersion version) {
		SaajSoapMessageFactory factory = new SaajSoapMessageFactory();
		factory.setSoapVersion(version);
		factory.afterPropertiesSet();
		return factory;
	}

	/**
	 * One SOAP version as a host speaks it.
	 *
	 * @param version the version
	 * @param factory reads requests and creates answers of this version
	 * @param adapter runs a request through the host's message receiver with the factory
	 */
	record Dialect(SoapVersion version, WebServiceMessageFactory factory,
			WebServiceMessageReceiverHandlerAdapter adapter) {

		static Dialect of(SoapVersion version, WebServiceMessageFactory factory) throws Exception {
			WebServiceMessageReceiverHandlerAdapter adapter = new WebServiceMessageReceiverHandlerAdapter() {

				/**
				 * Hand XML that cannot be parsed to the intake, which refuses it with a
				 * fault of the request's version, instead of an empty 400.
				 */
				@Override
				protected void handleInvalidXmlException(HttpServletRequest request, HttpServletResponse response,
						Object handler, InvalidXmlException ex) {
					throw ex;
				}

			};
			adapter.setMessageFactory(factory);
			adapter.afterPropertiesSet();
			return new Dialect(version, factory, adapter);
		}

		/**
		 * A new, empty message of this version.
		 * @return the message
		 */
		SoapMessage createMessage() {
			return (SoapMessage) this.factory.createWebServiceMessage();
		}

	}

}
