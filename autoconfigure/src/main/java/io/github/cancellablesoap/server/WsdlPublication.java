package io.github.cancellablesoap.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.ws.transport.http.WsdlDefinitionHandlerAdapter;
import org.springframework.ws.wsdl.wsdl11.Wsdl11Definition;

/**
 * What a host answers to {@code GET <path>?wsdl}: the WSDL of one of the application's
 * {@link Wsdl11Definition} beans, written by Spring WS's
 * {@link WsdlDefinitionHandlerAdapter} with every SOAP 1.1 and SOAP 1.2
 * {@code address location} rewritten to the URL the request reached the host at (so a
 * client built from the WSDL calls the host, through its listener and limits), or HTTP
 * 404 with a plain-text reason when the host has no definition to publish.
 * <p>
 * Which definition: the bean that {@link HostWire#wsdlDefinition()} names, else the
 * application's only {@code Wsdl11Definition}; with none, or with several and none named,
 * the host publishes nothing. Schema locations are left as the definition has them: a
 * host serves no XSD.
 * <p>
 * Thread-safe once built: the adapter transforms each request on its own.
 */
final class WsdlPublication {

	private static final Log logger = LogFactory.getLog(WsdlPublication.class);

	private static final String ADDRESS_LOCATIONS = "//*[local-name()='address' and "
			+ "(namespace-uri()='http://schemas.xmlsoap.org/wsdl/soap/' or "
			+ "namespace-uri()='http://schemas.xmlsoap.org/wsdl/soap12/')]/@location";

	private final @Nullable Wsdl11Definition definition;

	private final String missing;

	private final @Nullable HostAddressAdapter adapter;

	private WsdlPublication(@Nullable Wsdl11Definition definition, String missing) throws Exception {
		this.definition = definition;
		this.missing = missing;
		if (definition != null) {
			HostAddressAdapter created = new HostAddressAdapter();
			created.setLocationExpression(ADDRESS_LOCATIONS);
			created.setTransformLocations(true);
			created.afterPropertiesSet();
			this.adapter = created;
		}
		else {
			this.adapter = null;
		}
	}

	/**
	 * The publication of a host.
	 * @param settings the host's settings
	 * @param context the application context holding the definitions
	 * @return the publication
	 * @throws Exception when the named definition is missing or the adapter cannot be set
	 * up
	 */
	static WsdlPublication of(ServiceHostSettings settings, ApplicationContext context) throws Exception {
		String named = settings.wire().wsdlDefinition();
		if (named != null) {
			return new WsdlPublication(context.getBean(named, Wsdl11Definition.class), "");
		}
		String[] names = context.getBeanNamesForType(Wsdl11Definition.class);
		if (names.length == 1) {
			return new WsdlPublication(context.getBean(names[0], Wsdl11Definition.class), "");
		}
		String host = settings.name();
		String missing = (names.length == 0)
				? "Service host '" + host + "' publishes no WSDL: the application has no Wsdl11Definition bean"
				: "Service host '" + host + "' publishes no WSDL: the application has " + names.length
						+ " Wsdl11Definition beans " + Arrays.toString(names)
						+ "; name one with cancellable-soap.hosts." + host + ".wsdl-definition";
		return new WsdlPublication(null, missing);
	}

	/**
	 * Whether a request asks for the WSDL: a GET whose query is {@code wsdl}, in any
	 * case.
	 * @param request the request
	 * @return whether it does
	 */
	static boolean isWsdlRequest(HttpServletRequest request) {
		String query = request.getQueryString();
		return "GET".equals(request.getMethod()) && query != null && query.toLowerCase(Locale.ROOT).equals("wsdl");
	}

	/**
	 * Answer a WSDL request.
	 * @param request the request
	 * @param response the response
	 * @throws IOException when the answer cannot be written
	 */
	void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Wsdl11Definition published = this.definition;
		HostAddressAdapter current = this.adapter;
		if (published == null || current == null) {
			byte[] text = (this.missing + "\n").getBytes(StandardCharsets.UTF_8);
			response.setStatus(HttpServletResponse.SC_NOT_FOUND);
			response.setContentType("text/plain;charset=UTF-8");
			response.setContentLength(text.length);
			response.getOutputStream().write(text);
			return;
		}
		// its addresses are rewritten from the request's Host header: a shared cache must
		// not hand one client's rewrite to another
		response.setHeader("Cache-Control", "no-store");
		try {
			current.handle(request, response, published);
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			logger.warn("Cannot publish the WSDL " + published, ex);
			if (!response.isCommitted()) {
				response.resetBuffer();
				response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			}
		}
	}

	/**
	 * Spring WS's adapter, pointing every address at the URL the WSDL was requested at.
	 */
	private static final class HostAddressAdapter extends WsdlDefinitionHandlerAdapter {

		@Override
		protected String transformLocation(String location, HttpServletRequest request) {
			return request.getRequestURL().toString();
		}

	}

}
