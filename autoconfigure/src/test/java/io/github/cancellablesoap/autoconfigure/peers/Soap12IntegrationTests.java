package io.github.cancellablesoap.autoconfigure.peers;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.xml.namespace.QName;
import javax.xml.transform.Source;

import jakarta.servlet.ServletConfig;
import jakarta.xml.soap.Detail;
import jakarta.xml.soap.DetailEntry;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.Dispatch;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.soap.SOAPBinding;
import jakarta.xml.ws.soap.SOAPFaultException;
import org.apache.cxf.jaxws.EndpointImpl;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.HostedBy;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.testsupport.FreePorts;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.SoapVersion;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.ws.soap.client.core.SoapActionCallback;
import org.springframework.ws.soap.server.endpoint.annotation.SoapAction;
import org.springframework.ws.wsdl.wsdl11.DefaultWsdl11Definition;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;
import org.springframework.xml.xsd.SimpleXsdSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * SOAP 1.2 both ways with Apache CXF's JAX-WS stack: CXF clients (1.2, and 1.1 for the
 * 503 rejection) call this application's hosts, and a proxy configured with
 * {@code soap-version: 1.2} calls a CXF service running in the same application (a
 * {@code CXFNonSpringServlet} at {@code /cxf}). Hosts publish their WSDL at
 * {@code ?wsdl}, from which CXF builds a working client.
 */
@SpringBootTest(classes = Soap12IntegrationTests.Soap12Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "cancellable-soap.hosts.main.path=/soap", "cancellable-soap.hosts.strict.path=/strict",
				"cancellable-soap.hosts.strict.rejection-status=500",
				"cancellable-soap.hosts.strict.max-concurrent-operations=1",
				"cancellable-soap.proxy-defaults.call-timeout=20s",
				"cancellable-soap.proxies.cxf.address=http://127.0.0.1:${server.port}/cxf/echo12",
				"cancellable-soap.proxies.cxf.soap-version=1.2",
				"cancellable-soap.proxies.loop.address=http://127.0.0.1:${server.port}/soap",
				"cancellable-soap.proxies.loop.soap-version=1.2" })
class Soap12IntegrationTests {

	static final String NAMESPACE = "urn:soap12-echo";

	private static final String NO_IO_EXCEPTIONS = "org.apache.cxf.transport.no_io_exceptions";

	private static final int PORT = FreePorts.loopback();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@AutoClose("shutdownNow")
	private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

	@Autowired
	@Qualifier("main")
	private ServiceHost main;

	@Autowired
	@Qualifier("strict")
	private ServiceHost strict;

	@Autowired
	@Qualifier("cxf")
	private ServiceProxy cxf;

	@Autowired
	@Qualifier("loop")
	private ServiceProxy loop;

	@Autowired
	private EchoEndpoint endpoint;

	/** Not a bean: its WebServiceContext is CXF's to inject, not Spring's. */
	private static final CxfEchoProvider CXF_SERVICE = new CxfEchoProvider();

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@AfterEach
	void openListeners() {
		for (ServiceHost host : List.of(this.main, this.strict)) {
			if (host.state() == HostState.CLOSED) {
				host.reset();
				host.open();
			}
			if (host.listenerState() != ListenerState.OPEN) {
				host.resetListener();
			}
		}
	}

	@Test
	void aCxfSoap12ClientGetsTheHostsAnswerInSoap12() {
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP12HTTP_BINDING);
		client.getRequestContext().put(BindingProvider.SOAPACTION_USE_PROPERTY, true);
		client.getRequestContext().put(BindingProvider.SOAPACTION_URI_PROPERTY, NAMESPACE + "/Echo");
		String answer = text(client.invoke(echo("hello")));
		assertThat(answer).contains("EchoResponse").contains("version=\"1.2\"").contains("hello");
	}

	@Test
	void theHostAnswersEachRequestInItsOwnVersion() throws Exception {
		HttpResponse<String> soap12 = post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8; action=\"" + NAMESPACE + "/Echo\"", payload("hello"));
		assertThat(soap12.statusCode()).as(soap12.body()).isEqualTo(200);
		assertThat(soap12.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/soap+xml"));
		assertThat(soap12.body()).contains(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE).contains("version=\"1.2\"");
		HttpResponse<String> soap11 = post("/soap", SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "text/xml; charset=utf-8",
				payload("hello"));
		assertThat(soap11.statusCode()).as(soap11.body()).isEqualTo(200);
		assertThat(soap11.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/xml"));
		assertThat(soap11.body()).contains(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE).contains("version=\"1.1\"");
	}

	@Test
	void malformedAndTooDeepSoap12RequestsAreRefusedWithSoap12SenderFaults() throws Exception {
		String soap12 = "application/soap+xml; charset=utf-8";
		HttpResponse<String> malformed = HTTP.send(HttpRequest.newBuilder(uri("/soap"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", soap12)
			.POST(HttpRequest.BodyPublishers.ofString("<env:Envelope xmlns:env=\""
					+ SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE + "\"><env:Body><unclosed></env:Body></env:Envelope>"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertSoap12Refusal(malformed, "malformed-xml");
		String deep = "<d>".repeat(300) + "</d>".repeat(300);
		assertSoap12Refusal(post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE, soap12, deep), "xml-too-deep");
	}

	private static void assertSoap12Refusal(HttpResponse<String> response, String reason) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/soap+xml"));
		assertThat(response.body()).contains(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE)
			.contains("Sender")
			.contains("reason=\"" + reason + "\"");
	}

	@Test
	void theHostReadsTheSoap12ActionFromTheContentType() throws Exception {
		HttpResponse<String> response = post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8; action=\"" + NAMESPACE + "/Ping\"",
				"<e:Unmapped xmlns:e=\"" + NAMESPACE + "\"/>");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("PingResponse");
		HttpResponse<String> withoutAction = post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8", "<e:Unmapped xmlns:e=\"" + NAMESPACE + "\"/>");
		assertThat(withoutAction.body()).doesNotContain("PingResponse");
	}

	@Test
	void aSoap12ProxySendsItsActionInTheContentType() {
		StringResult result = new StringResult();
		this.cxf.sendSourceAndReceiveToResult(echo("with action"), new SoapActionCallback(NAMESPACE + "/Echo"), result);
		assertThat(result.toString()).contains("with action");
		Map<String, List<String>> headers = CXF_SERVICE.headers.stream()
			.filter((each) -> header(each, "Content-Type").contains("action="))
			.findFirst()
			.orElseThrow();
		assertThat(header(headers, "Content-Type")).startsWith("application/soap+xml")
			.contains("action=\"" + NAMESPACE + "/Echo\"");
		assertThat(headers.keySet()).noneMatch("SOAPAction"::equalsIgnoreCase);
	}

	@Test
	void aCxfSoap12ClientGetsAnApplicationFault() {
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP12HTTP_BINDING);
		assertThatExceptionOfType(SOAPFaultException.class).isThrownBy(() -> client.invoke(echo("fail")))
			.satisfies((ex) -> {
				assertThat(ex.getFault().getFaultCodeAsQName())
					.isEqualTo(new QName(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE, "Receiver"));
				assertThat(ex.getFault().getFaultString()).isEqualTo("no such order");
			});
	}

	@Test
	void aCxfSoap12ClientReadsThe503RejectionWithNoIoExceptions() throws Exception {
		this.main.abortListener("test");
		HttpResponse<String> raw = post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8", payload("hello"));
		assertThat(raw.statusCode()).isEqualTo(503);
		assertThat(raw.headers().firstValue("Retry-After")).contains("1");
		assertThat(raw.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/soap+xml"));
		assertThat(raw.body()).contains(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE).contains("rejected");
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP12HTTP_BINDING);
		client.getRequestContext().put(NO_IO_EXCEPTIONS, true);
		assertThatExceptionOfType(SOAPFaultException.class).isThrownBy(() -> client.invoke(echo("hello")))
			.satisfies((ex) -> assertThat(detail(ex, "rejected")).isNotNull()
				.satisfies((rejected) -> assertThat(rejected.getAttribute("listenerState")).isEqualTo("FAULTED")));
	}

	@Test
	void withoutNoIoExceptionsCxfDoesNotReadThe503Fault() {
		this.main.abortListener("test");
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP12HTTP_BINDING);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> client.invoke(echo("hello")))
			.isNotInstanceOf(SOAPFaultException.class)
			.havingRootCause()
			.withMessageContaining("503");
	}

	@Test
	void aCxfSoap11ClientReadsThe503RejectionWithNoIoExceptions() {
		this.main.abortListener("test");
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP11HTTP_BINDING);
		client.getRequestContext().put(NO_IO_EXCEPTIONS, true);
		assertThatExceptionOfType(SOAPFaultException.class).isThrownBy(() -> client.invoke(echo("hello")))
			.satisfies((ex) -> {
				assertThat(ex.getFault().getNamespaceURI()).isEqualTo(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE);
				assertThat(detail(ex, "rejected")).isNotNull();
			});
	}

	@Test
	void aHostWithRejectionStatus500IsReadByACxfClientWithoutAnySetting() throws Exception {
		this.strict.abortListener("test");
		HttpResponse<String> raw = post("/strict", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8", payload("hello"));
		assertThat(raw.statusCode()).isEqualTo(500);
		assertThat(raw.headers().firstValue("Retry-After")).isEmpty();
		Dispatch<Source> client = cxfClient("/strict", SOAPBinding.SOAP12HTTP_BINDING);
		assertThatExceptionOfType(SOAPFaultException.class).isThrownBy(() -> client.invoke(echo("hello")))
			.satisfies((ex) -> assertThat(detail(ex, "rejected")).isNotNull()
				.satisfies((rejected) -> assertThat(rejected.getAttribute("host")).isEqualTo("strict")));
	}

	@Test
	void aClosedHostRejectsASoap12RequestWithASoap12Fault() throws Exception {
		this.main.close();
		HttpResponse<String> raw = post("/soap", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8", payload("hello"));
		assertThat(raw.statusCode()).isEqualTo(503);
		assertThat(raw.headers().firstValue("Retry-After")).contains("1");
		assertThat(raw.body()).contains(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE)
			.contains("Receiver")
			.contains("hostState=\"CLOSED\"");
	}

	@Test
	void aFullHostRejectsASoap12RequestWithASoap12FaultOnItsRejectionStatus() throws Exception {
		Dispatch<Source> waiting = cxfClient("/strict", SOAPBinding.SOAP12HTTP_BINDING);
		var call = CALLERS.submit(() -> waiting.invoke(waitRequest()));
		OperationInfo operation = awaitWaiting(this.strict, null);
		HttpResponse<String> raw = post("/strict", SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE,
				"application/soap+xml; charset=utf-8", payload("hello"));
		assertThat(raw.statusCode()).isEqualTo(500);
		assertThat(raw.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/soap+xml"));
		assertThat(raw.body()).contains(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE)
			.contains("rejected")
			.contains("hostState=\"OPEN\"");
		assertThat(this.strict.cancel(operation.id(), "test over")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(SOAPFaultException.class);
	}

	@Test
	void aCxfSoap12ClientGetsTheCancellationFault() throws Exception {
		Dispatch<Source> client = cxfClient("/soap", SOAPBinding.SOAP12HTTP_BINDING);
		var call = CALLERS.submit(() -> client.invoke(waitRequest()));
		OperationInfo operation = awaitWaiting(null);
		assertThat(this.main.cancel(operation.id(), "test")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(SOAPFaultException.class, (ex) -> {
				assertThat(ex.getFault().getNamespaceURI()).isEqualTo(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE);
				Element cancelled = detail(ex, "cancelled");
				assertThat(cancelled).isNotNull();
				assertThat(cancelled.getAttribute("reason")).isEqualTo("OPERATOR");
				assertThat(cancelled.getAttribute("operationId")).isEqualTo(operation.id());
			});
	}

	@Test
	void aSoap12ProxyCallsACxfServiceWithItsCancellationHeaders() {
		String answer = echo(this.cxf, "hello");
		assertThat(answer).contains("EchoResponse").contains("version=\"cxf\"").contains("hello");
		Map<String, List<String>> headers = CXF_SERVICE.headers.peek();
		assertThat(headers).isNotNull();
		assertThat(header(headers, "Content-Type")).startsWith("application/soap+xml");
		assertThat(header(headers, "Soap-Call-Id")).isNotBlank();
		assertThat(header(headers, "Soap-Call-Timeout")).matches("[0-9]+");
		assertThat(header(headers, "Soap-Call-Token")).isNotBlank();
		assertThat(headers.keySet()).noneMatch("SOAPAction"::equalsIgnoreCase);
	}

	@Test
	void aSoap12ProxyGetsTheFaultOfACxfService() {
		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> echo(this.cxf, "fail"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).isEqualTo("no such order");
				assertThat(ex.getFaultCode()).isEqualTo(new QName(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE, "Sender"));
			});
	}

	@Test
	void anExplicitCancelWorksBetweenSoap12Peers() throws Exception {
		// the first answer tells the proxy that the host understands explicit cancels
		assertThat(echo(this.loop, "hello")).contains("version=\"1.2\"");
		PendingCall<String> call = this.loop.submit(Soap12IntegrationTests::waitFor, CALLERS);
		awaitWaiting(call.callId());
		assertThat(this.loop.abortCall(call.callId(), "give up")).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(CallAbortedException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.endpoint.reasons.get(call.callId()) != null);
		assertThat(this.endpoint.reasons.get(call.callId())).isEqualTo(CancelReason.CALLER_CANCELLED);
	}

	@Test
	void aHostPublishesItsWsdlWithItsOwnAddress() throws Exception {
		HttpResponse<String> wsdl = HTTP.send(
				HttpRequest.newBuilder(uri("/soap?wsdl")).timeout(Duration.ofSeconds(20)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(wsdl.statusCode()).isEqualTo(200);
		assertThat(wsdl.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/xml"));
		String own = "location=\"http://127.0.0.1:" + PORT + "/soap\"";
		assertThat(wsdl.body()).contains("EchoSoap12").contains("EchoSoap11").doesNotContain("/elsewhere");
		assertThat(wsdl.body().split(java.util.regex.Pattern.quote(own), -1)).hasSize(3);
		HttpResponse<String> strictWsdl = HTTP.send(
				HttpRequest.newBuilder(uri("/strict?WSDL")).timeout(Duration.ofSeconds(20)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(strictWsdl.body()).contains("location=\"http://127.0.0.1:" + PORT + "/strict\"");
		HttpResponse<String> get = HTTP.send(
				HttpRequest.newBuilder(uri("/soap")).timeout(Duration.ofSeconds(20)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(get.statusCode()).isEqualTo(405);
	}

	@Test
	void cxfBuildsAWorkingClientFromTheServedWsdl() throws Exception {
		Service service = Service.create(new URL(uri("/soap?wsdl").toString()), new QName(NAMESPACE, "EchoService"));
		Dispatch<Source> client = service.createDispatch(new QName(NAMESPACE, "EchoSoap12"), Source.class,
				Service.Mode.PAYLOAD);
		assertThat(client.getRequestContext().get(BindingProvider.ENDPOINT_ADDRESS_PROPERTY))
			.isEqualTo("http://127.0.0.1:" + PORT + "/soap");
		assertThat(text(client.invoke(echo("from wsdl")))).contains("version=\"1.2\"").contains("from wsdl");
	}

	private OperationInfo awaitWaiting(String callId) {
		return awaitWaiting(this.main, callId);
	}

	private OperationInfo awaitWaiting(ServiceHost host, String callId) {
		AtomicReference<OperationInfo> found = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> host.operations()
				.stream()
				.filter((operation) -> "WaitRequest".equals(operation.operation())
						&& (callId == null || callId.equals(operation.callerCallId())))
				.filter((operation) -> this.endpoint.waiting.containsKey(operation.id()))
				.peek(found::set)
				.findFirst()
				.isPresent());
		return found.get();
	}

	private static Element detail(SOAPFaultException ex, String name) {
		Detail detail = ex.getFault().getDetail();
		if (detail == null) {
			return null;
		}
		Iterator<DetailEntry> entries = detail.getDetailEntries();
		while (entries.hasNext()) {
			DetailEntry entry = entries.next();
			if (name.equals(entry.getLocalName())) {
				return entry;
			}
		}
		return null;
	}

	private static String header(Map<String, List<String>> headers, String name) {
		return headers.entrySet()
			.stream()
			.filter((entry) -> name.equalsIgnoreCase(entry.getKey()))
			.map((entry) -> String.join(",", entry.getValue()))
			.findFirst()
			.orElse("");
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + PORT + path);
	}

	private static HttpResponse<String> post(String path, String envelopeNamespace, String contentType, String payload)
			throws Exception {
		String envelope = "<env:Envelope xmlns:env=\"" + envelopeNamespace + "\"><env:Body>" + payload
				+ "</env:Body></env:Envelope>";
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(envelope));
		if (contentType.startsWith("text/xml")) {
			request.header("SOAPAction", "\"\"");
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String payload(String text) {
		return "<e:EchoRequest xmlns:e=\"" + NAMESPACE + "\"><e:text>" + text + "</e:text></e:EchoRequest>";
	}

	private static Source echo(String text) {
		return new StringSource(payload(text));
	}

	private static Source waitRequest() {
		return new StringSource("<e:WaitRequest xmlns:e=\"" + NAMESPACE + "\"/>");
	}

	private static String echo(WebServiceOperations operations, String text) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(echo(text), result);
		return result.toString();
	}

	private static String waitFor(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(waitRequest(), result);
		return result.toString();
	}

	private static String text(Source source) {
		StringResult result = new StringResult();
		try {
			javax.xml.transform.TransformerFactory.newInstance().newTransformer().transform(source, result);
		}
		catch (javax.xml.transform.TransformerException ex) {
			throw new IllegalStateException(ex);
		}
		return result.toString();
	}

	private static Dispatch<Source> cxfClient(String path, String binding) {
		QName port = new QName(NAMESPACE, "EchoPort");
		Service service = Service.create(new QName(NAMESPACE, "EchoService"));
		service.addPort(port, binding, uri(path).toString());
		return service.createDispatch(port, Source.class, Service.Mode.PAYLOAD);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoEndpoint.class)
	static class Soap12Application {

		/**
		 * No caller-gone detection, as behind a reverse proxy that hides the caller's
		 * closed socket: whatever ends an operation as CALLER_CANCELLED is the proxy's
		 * explicit cancel.
		 */
		@Bean
		CallerGoneDetector callerGoneDetector() {
			return CallerGoneDetector.NONE;
		}

		@Bean
		SimpleXsdSchema echoSchema() {
			return new SimpleXsdSchema(new ClassPathResource("soap12/echo.xsd"));
		}

		@Bean
		DefaultWsdl11Definition echo(SimpleXsdSchema echoSchema) {
			DefaultWsdl11Definition definition = new DefaultWsdl11Definition();
			definition.setPortTypeName("Echo");
			definition.setServiceName("EchoService");
			definition.setTargetNamespace(NAMESPACE);
			definition.setLocationUri("/elsewhere");
			definition.setSchema(echoSchema);
			definition.setCreateSoap11Binding(true);
			definition.setCreateSoap12Binding(true);
			return definition;
		}

		@Bean
		ServletRegistrationBean<CXFNonSpringServlet> cxfServlet() {
			CXFNonSpringServlet servlet = new CXFNonSpringServlet() {

				private static final long serialVersionUID = 1L;

				@Override
				protected void loadBus(ServletConfig config) {
					super.loadBus(config);
					new EndpointImpl(getBus(), CXF_SERVICE).publish("/echo12");
				}

			};
			ServletRegistrationBean<CXFNonSpringServlet> registration = new ServletRegistrationBean<>(servlet,
					"/cxf/*");
			registration.setLoadOnStartup(1);
			return registration;
		}

	}

	/**
	 * The hosts' endpoint: answers {@code EchoRequest} in the request's SOAP version
	 * (with an application fault for the text {@code fail}), and lets {@code WaitRequest}
	 * wait, at most ten seconds, for its cancellation.
	 */
	@Endpoint
	@HostedBy({ "main", "strict" })
	static class EchoEndpoint {

		final Map<String, Boolean> waiting = new ConcurrentHashMap<>();

		final Map<String, CancelReason> reasons = new ConcurrentHashMap<>();

		@PayloadRoot(namespace = NAMESPACE, localPart = "EchoRequest")
		@ResponsePayload
		Element echo(@RequestPayload Element request, MessageContext messageContext) {
			String text = request.getTextContent().strip();
			if ("fail".equals(text)) {
				throw new IllegalArgumentException("no such order");
			}
			SoapVersion version = ((SoapMessage) messageContext.getRequest()).getVersion();
			Element response = request.getOwnerDocument().createElementNS(NAMESPACE, "e:EchoResponse");
			response.setAttribute("version", (version == SoapVersion.SOAP_12) ? "1.2" : "1.1");
			Element answer = request.getOwnerDocument().createElementNS(NAMESPACE, "e:text");
			answer.setTextContent(text);
			response.appendChild(answer);
			return response;
		}

		@SoapAction(NAMESPACE + "/Ping")
		@ResponsePayload
		Element ping(@RequestPayload Element request) {
			return request.getOwnerDocument().createElementNS(NAMESPACE, "e:PingResponse");
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "WaitRequest")
		@ResponsePayload
		Element waitForCancel(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			CountDownLatch cancelled = new CountDownLatch(1);
			String caller = context.callerCallId().orElse(context.operationId());
			context.onCancel((why) -> {
				this.reasons.put(caller, why);
				cancelled.countDown();
			});
			this.waiting.put(context.operationId(), true);
			try {
				cancelled.await(10, TimeUnit.SECONDS);
			}
			finally {
				// operation ids are unique per host only
				this.waiting.remove(context.operationId());
			}
			return request.getOwnerDocument().createElementNS(NAMESPACE, "e:WaitResponse");
		}

	}

}
