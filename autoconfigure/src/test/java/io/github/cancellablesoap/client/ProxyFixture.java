package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;

import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * Builds proxies against test servers and makes calls through them on caller threads;
 * closes everything it made.
 */
final class ProxyFixture implements AutoCloseable {

	static final String SOAP_CONTENT_TYPE = "text/xml; charset=utf-8";

	static final String REQUEST = "<echo xmlns=\"urn:test\">hello</echo>";

	private final CancellationTimer timer = new CancellationTimer("test");

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final List<ServiceProxy> proxies = new ArrayList<>();

	static String envelope(String payload) {
		return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>" + payload
				+ "</soapenv:Body></soapenv:Envelope>";
	}

	static String echoResponse() {
		return envelope("<echoResponse xmlns=\"urn:test\">hello</echoResponse>");
	}

	DefaultServiceProxy open(URI address, UnaryOperator<ProxySettings.Builder> customizer) {
		DefaultServiceProxy proxy = create(address, customizer);
		proxy.open();
		return proxy;
	}

	DefaultServiceProxy create(URI address, UnaryOperator<ProxySettings.Builder> customizer) {
		ProxySettings settings = customizer.apply(ProxySettings.builder("test", address)).build();
		DefaultServiceProxy proxy = ServiceProxyFactory.create(settings, new WebServiceTemplate(), this.timer);
		this.proxies.add(proxy);
		return proxy;
	}

	/**
	 * Start an echo call on a caller thread of its own.
	 */
	PendingCall<String> submit(ServiceProxy proxy) {
		return proxy.submit(ProxyFixture::echo, this.callers);
	}

	static String echo(org.springframework.ws.client.core.WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(REQUEST), result);
		return result.toString();
	}

	CancellationTimer timer() {
		return this.timer;
	}

	@Override
	public void close() throws InterruptedException {
		for (ServiceProxy proxy : this.proxies) {
			proxy.abort("test ended");
			proxy.close();
		}
		this.callers.shutdownNow();
		this.callers.awaitTermination(10, TimeUnit.SECONDS);
		this.timer.shutdown();
	}

	static Duration seconds(long seconds) {
		return Duration.ofSeconds(seconds);
	}

}
