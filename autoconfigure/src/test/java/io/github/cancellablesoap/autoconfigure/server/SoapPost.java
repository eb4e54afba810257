package io.github.cancellablesoap.autoconfigure.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends SOAP 1.1 and 1.2 requests to a test application on its random port, with the
 * JDK's HTTP client.
 */
final class SoapPost {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private SoapPost() {
	}

	static String envelope(String header, String payload) {
		return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">" + "<soapenv:Header>"
				+ header + "</soapenv:Header><soapenv:Body>" + payload + "</soapenv:Body></soapenv:Envelope>";
	}

	static String envelope12(String header, String payload) {
		return "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Header>" + header
				+ "</env:Header><env:Body>" + payload + "</env:Body></env:Envelope>";
	}

	static HttpResponse<String> post(int port, String path, String envelope) throws IOException, InterruptedException {
		return post(port, path, envelope, "text/xml; charset=utf-8");
	}

	static HttpResponse<String> post12(int port, String path, String envelope)
			throws IOException, InterruptedException {
		return post(port, path, envelope, "application/soap+xml; charset=utf-8");
	}

	private static HttpResponse<String> post(int port, String path, String envelope, String contentType)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", contentType)
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(envelope))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The body of a response that answered the request: status 200, else the assertion
	 * fails showing the body.
	 * @param response the response
	 * @return its body
	 */
	static String answered(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.GET()
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
