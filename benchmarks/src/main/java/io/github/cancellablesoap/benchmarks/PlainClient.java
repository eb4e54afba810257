package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.net.URI;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.transport.http.ClientHttpRequestMessageSender;

/**
 * The plain client every proxy is compared with: a {@link WebServiceTemplate} as Spring
 * Boot configures it by default ({@link ClientHttpRequestMessageSender} over
 * {@link HttpComponentsClientHttpRequestFactory}, Apache HttpClient 5 classic), with the
 * pool raised so that no caller ever waits for a connection (HttpClient's default is 5
 * per route).
 * <p>
 * Thread-safe, as the template and the client are.
 *
 * @param template the template, whose default URI is the server's
 * @param httpClient the pooled client beneath it, closed by {@link #close()}
 */
record PlainClient(WebServiceTemplate template, CloseableHttpClient httpClient) implements AutoCloseable {

	/**
	 * A plain client of one server.
	 * @param address the server's address
	 * @param connections the pool size, in total and per route
	 * @return the client
	 */
	static PlainClient of(URI address, int connections) {
		CloseableHttpClient httpClient = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(connections)
				.setMaxConnPerRoute(connections)
				.build())
			.build();
		WebServiceTemplate template = new WebServiceTemplate();
		template.setMessageSender(
				new ClientHttpRequestMessageSender(new HttpComponentsClientHttpRequestFactory(httpClient)));
		template.setDefaultUri(address.toString());
		return new PlainClient(template, httpClient);
	}

	@Override
	public void close() throws IOException {
		this.httpClient.close();
	}

}
