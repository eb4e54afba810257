package io.github.cancellablesoap.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * SOAP requests for the tests, through the JDK's {@link HttpClient}.
 */
final class SoapCalls {

	static final Duration WAIT = Duration.ofSeconds(5);

	static final String PAYLOAD = "<m:order xmlns:m=\"urn:test\">héllo</m:order>";

	static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(WAIT)
		.build();

	private SoapCalls() {
	}

	static String envelope(SoapVersion version) {
		return version.envelope(PAYLOAD);
	}

	static HttpRequest.Builder request(URI uri, SoapVersion version, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(WAIT)
			.header("Content-Type", version.contentType())
			.POST(HttpRequest.BodyPublishers.ofString(envelope(version), StandardCharsets.UTF_8));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request;
	}

	static HttpResponse<String> post(URI uri, SoapVersion version, String... headers) throws IOException {
		try {
			return CLIENT.send(request(uri, version, headers).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static HttpResponse<String> postUnchecked(URI uri, SoapVersion version, String... headers) {
		try {
			return post(uri, version, headers);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
