package io.github.cancellablesoap.server;

import java.time.Duration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.server.detect.AvailableProbeDetector;
import io.github.cancellablesoap.server.detect.CallerGoneDetector;
import io.github.cancellablesoap.server.detect.ProcNetTcpDetector;

/**
 * The application the host tests run: two hosts registered by hand, as the later
 * auto-configuration will do.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ OperationContextWsConfigurer.class, ServiceHosts.class, ServiceHostsLifecycle.class, Probe.class,
		WorkEndpoint.class, UnboundEndpoint.class, OtherEndpoint.class })
class HostTestApplication {

	static final Duration CLOSE_TIMEOUT = Duration.ofMillis(800);

	static final Duration ABORT_GRACE = Duration.ofMillis(400);

	static final int MAX_CONCURRENT = 8;

	@Bean(destroyMethod = "shutdown")
	CancellationTimer cancellationTimer() {
		return new CancellationTimer("hosts");
	}

	@Bean
	CallerGoneDetector callerGoneDetector(Environment environment) {
		if ("proc".equals(environment.getProperty("test.caller-gone-detector"))) {
			return new ProcNetTcpDetector();
		}
		return new AvailableProbeDetector();
	}

	@Bean
	DefaultServiceHost mainHost(CancellationTimer timer, Environment environment) {
		ServiceHostSettings defaults = ServiceHostSettings.of("main", "/hosts/main");
		return new DefaultServiceHost(defaults.withCloseTimeout(CLOSE_TIMEOUT)
			.withAbortGrace(ABORT_GRACE)
			.withMaxConcurrentOperations(MAX_CONCURRENT)
			.withRequestBodyTimeout(Duration.ofMillis(environment.getProperty("test.main.request-body-timeout-ms",
					Long.class, defaults.requestBodyTimeout().toMillis()))),
				timer);
	}

	@Bean
	DefaultServiceHost otherHost(CancellationTimer timer) {
		return new DefaultServiceHost(ServiceHostSettings.of("other", "/hosts/other").withServesUnboundEndpoints(true),
				timer);
	}

	@Bean
	ServletRegistrationBean<ServiceHostServlet> mainIntake(DefaultServiceHost mainHost, ApplicationContext context,
			CallerGoneDetector detector) {
		return intake(mainHost, context, detector);
	}

	@Bean
	ServletRegistrationBean<ServiceHostServlet> otherIntake(DefaultServiceHost otherHost, ApplicationContext context,
			CallerGoneDetector detector) {
		return intake(otherHost, context, detector);
	}

	private static ServletRegistrationBean<ServiceHostServlet> intake(DefaultServiceHost host,
			ApplicationContext context, CallerGoneDetector detector) {
		ServletRegistrationBean<ServiceHostServlet> registration = new ServletRegistrationBean<>(
				new ServiceHostServlet(host, context, detector), host.settings().urlMappings().toArray(String[]::new));
		registration.setName("serviceHost-" + host.name());
		registration.setAsyncSupported(true);
		return registration;
	}

}
