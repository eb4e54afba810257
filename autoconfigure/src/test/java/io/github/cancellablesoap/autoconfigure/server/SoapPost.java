package io.github.cancellablesoap.autoconfigure.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends SOAP 1.1 and 1.2 requests to a test application on its random port, with the
 * JDK's HTTP client.
 */
final class SoapPost {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private SoapPost() {
	}

	/**
	 * A SOAP 1.1 envelope.
	 * @param header the content of the header
	 * @param payload the content of the body
	 * @return the envelope
	 */
	static String envelope(String header, String payload) {
		return Version.SOAP_11.envelope(header, payload);
	}

	/**
	 * Post a SOAP 1.1 envelope.
	 * @param port the application's port
	 * @param path where to post
	 * @param envelope what to post
	 * @return the response
	 */
	static HttpResponse<String> post(int port, String path, String envelope) throws IOException, InterruptedException {
		return Version.SOAP_11.post(port, path, envelope);
	}

	/**
	 * Post a SOAP 1.1 envelope without waiting for the answer.
	 * @param port the application's port
	 * @param path where to post
	 * @param envelope what to post
	 * @return the response to come
	 */
	static CompletableFuture<HttpResponse<String>> postAsync(int port, String path, String envelope) {
		return HTTP.sendAsync(request(port, path, envelope, Version.SOAP_11.contentType),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(int port, String path, String envelope, String contentType)
			throws IOException, InterruptedException {
		return HTTP.send(request(port, path, envelope, contentType), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String path, String envelope, String contentType) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", contentType)
			.header("SOAPAction", "\"\"")
			.POST(HttpRequest.BodyPublishers.ofString(envelope))
			.build();
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

	/**
	 * The SOAP versions, each with its envelope, content type and way of saying that a
	 * header block must be understood and by which node.
	 */
	enum Version {

		SOAP_11("soapenv", "http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8", "1", "actor"),

		SOAP_12("env", "http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8", "true",
				"role");

		private final String prefix;

		private final String namespace;

		private final String contentType;

		private final String mustUnderstand;

		private final String nodeAttribute;

		Version(String prefix, String namespace, String contentType, String mustUnderstand, String nodeAttribute) {
			this.prefix = prefix;
			this.namespace = namespace;
			this.contentType = contentType;
			this.mustUnderstand = mustUnderstand;
			this.nodeAttribute = nodeAttribute;
		}

		String envelope(String header, String payload) {
			String p = this.prefix;
			return "<" + p + ":Envelope xmlns:" + p + "=\"" + this.namespace + "\"><" + p + ":Header>" + header + "</"
					+ p + ":Header><" + p + ":Body>" + payload + "</" + p + ":Body></" + p + ":Envelope>";
		}

		HttpResponse<String> post(int port, String path, String envelope) throws IOException, InterruptedException {
			return SoapPost.post(port, path, envelope, this.contentType);
		}

		/**
		 * Post the echo request with a header to the host at {@code /soap}.
		 * @param port the application's port
		 * @param header the content of the header
		 * @return the response
		 */
		HttpResponse<String> postEcho(int port, String header) throws IOException, InterruptedException {
			return post(port, "/soap", envelope(header, EchoEndpoint.ECHO));
		}

		/**
		 * A header block that must be understood.
		 * @param element the element's name and namespace declaration, such as
		 * {@code t:Token xmlns:t="urn:token"}
		 * @param content the element's text
		 * @param node the node it is for (a SOAP 1.1 actor, a SOAP 1.2 role), or
		 * {@code null} for this one
		 * @return the header block
		 */
		String mustUnderstand(String element, String content, @Nullable String node) {
			String name = element.split(" ", 2)[0];
			String to = (node != null) ? " " + this.prefix + ":" + this.nodeAttribute + "=\"" + node + "\"" : "";
			return "<" + element + " " + this.prefix + ":mustUnderstand=\"" + this.mustUnderstand + "\"" + to + ">"
					+ content + "</" + name + ">";
		}

		/**
		 * A header block {@code x:Unknown} in {@code urn:unknown}, which nothing
		 * understands, that must be understood.
		 * @param node the node it is for, or {@code null} for this one
		 * @return the header block
		 */
		String unknown(@Nullable String node) {
			return mustUnderstand("x:Unknown xmlns:x=\"urn:unknown\"", "secret", node);
		}

	}

}
