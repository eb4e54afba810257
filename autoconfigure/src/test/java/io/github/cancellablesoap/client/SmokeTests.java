package io.github.cancellablesoap.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.transport.ServiceProxyFactory;
import org.junit.jupiter.api.Test;

import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@Test
	void callCompletes() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			byte[] body = ("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
					+ "<r xmlns=\"urn:t\">" + exchange.getRequestHeaders().getFirst("Soap-Call-Id")
					+ "</r></soapenv:Body></soapenv:Envelope>")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		CancellationTimer timer = new CancellationTimer("t");
		DefaultServiceProxy proxy = ServiceProxyFactory
			.create(ProxySettings.builder("p", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ws"))
				.build(), new WebServiceTemplate(), timer);
		proxy.open();
		StringResult result = new StringResult();
		proxy.sendSourceAndReceiveToResult(new StringSource("<q xmlns=\"urn:t\"/>"), result);
		assertThat(result.toString()).contains("c-");
		assertThat(proxy.calls()).isEmpty();
		proxy.close();
		server.stop(0);
		timer.shutdown();
	}

}
