package io.github.cancellablesoap.benchmarks;

import java.net.URI;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * The SOAP side of {@link PropagationBenchmark}: one Spring Boot application on the
 * embedded Tomcat (loopback, a free port) with two service hosts, {@code b} (whose
 * operation calls {@code c} through the proxy {@code c}) and {@code c} (whose operation
 * waits until it is cancelled), and the caller's proxies {@code a-to-b} and
 * {@code a-to-c}. Everything is declared in properties, as a user would.
 * <p>
 * Not thread-safe: started and closed by the benchmark's main thread; the proxies and
 * hosts it hands out are thread-safe.
 */
final class SoapPeers implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private SoapPeers(ConfigurableApplicationContext context, int port) {
		this.context = context;
		this.port = port;
	}

	/**
	 * Start the application.
	 * @param records where the operations record what they see
	 * @param port a free loopback port for Tomcat
	 * @return the running peers
	 */
	static SoapPeers start(PeerRecords records, int port) {
		String base = "http://127.0.0.1:" + port + "/hosts/";
		Map<String, Object> properties = Map.ofEntries(Map.entry("server.address", "127.0.0.1"),
				Map.entry("server.port", port), Map.entry("spring.main.banner-mode", "off"),
				Map.entry("server.tomcat.threads.max", 400), Map.entry("cancellable-soap.hosts.b.path", "/hosts/b"),
				Map.entry("cancellable-soap.hosts.c.path", "/hosts/c"),
				Map.entry("cancellable-soap.proxies.c.address", base + "c"),
				Map.entry("cancellable-soap.proxies.c.call-timeout", "60s"),
				Map.entry("cancellable-soap.proxies.a-to-b.address", base + "b"),
				Map.entry("cancellable-soap.proxies.a-to-b.call-timeout", "60s"),
				Map.entry("cancellable-soap.proxies.a-to-c.address", base + "c"),
				Map.entry("cancellable-soap.proxies.a-to-c.call-timeout", "60s"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("peerRecords", records))
			.run();
		return new SoapPeers(context, port);
	}

	ServiceProxy proxy(String name) {
		return this.context.getBean(ServiceProxies.class).find(name).orElseThrow();
	}

	ServiceHost host(String name) {
		return this.context.getBean(ServiceHosts.class).find(name).orElseThrow();
	}

	URI address(String host) {
		return URI.create("http://127.0.0.1:" + this.port + "/hosts/" + host);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The application: auto-configuration and the peers' endpoints.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PeerEndpoints.class)
	static class Application {

		/**
		 * Notes when each explicit cancel reaches the application (the first filter), so
		 * that the report can split the latency into "on the way" and "in the host".
		 * @param records where to note it
		 * @return the filter's registration, first in the chain
		 */
		@Bean
		FilterRegistrationBean<Filter> cancelArrivals(PeerRecords records) {
			Filter filter = (request, response, chain) -> {
				String callId = ((HttpServletRequest) request).getHeader(WireProtocol.CANCEL_CALL_HEADER);
				if (callId != null) {
					records.of("arrived:" + callId).cancelled("ARRIVED");
				}
				chain.doFilter(request, response);
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
