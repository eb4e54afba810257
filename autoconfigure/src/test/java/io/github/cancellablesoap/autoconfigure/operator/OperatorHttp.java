package io.github.cancellablesoap.autoconfigure.operator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A small HTTP client for the operator tests: JSON requests with optional basic
 * credentials, and SOAP requests to the host.
 */
final class OperatorHttp {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	private @Nullable String authorization;

	OperatorHttp(int port) {
		this.port = port;
	}

	OperatorHttp as(String user) {
		OperatorHttp http = new OperatorHttp(this.port);
		http.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
		return http;
	}

	HttpResponse<String> get(String path) {
		return send(request(path).GET());
	}

	HttpResponse<String> post(String path, String json) {
		return send(post(path, "application/json", json));
	}

	HttpResponse<String> delete(String path) {
		return send(request(path).DELETE());
	}

	CompletableFuture<HttpResponse<String>> slowSoapCall() {
		return slowSoapCall(null);
	}

	/**
	 * Send the host a request that runs until it is cancelled, as a peer whose call has
	 * that id.
	 * @param callerCallId the {@code Soap-Call-Id} header to send, or {@code null}
	 */
	CompletableFuture<HttpResponse<String>> slowSoapCall(@Nullable String callerCallId) {
		String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<soapenv:Body><s:Slow xmlns:s=\"" + OperatorTestApplication.NAMESPACE
				+ "\"/></soapenv:Body></soapenv:Envelope>";
		HttpRequest.Builder request = post("/soap", "text/xml; charset=utf-8", envelope).header("SOAPAction", "\"\"")
			.timeout(Duration.ofSeconds(40));
		if (callerCallId != null) {
			request.header("Soap-Call-Id", callerCallId);
		}
		return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder post(String path, String contentType, String body) {
		return request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "application/json, application/problem+json");
		if (this.authorization != null) {
			builder.header("Authorization", this.authorization);
		}
		return builder;
	}

	private static HttpResponse<String> send(HttpRequest.Builder builder) {
		try {
			return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
