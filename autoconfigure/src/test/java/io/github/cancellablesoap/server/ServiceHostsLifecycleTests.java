package io.github.cancellablesoap.server;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

import io.github.cancellablesoap.core.CancellationTimer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hosts open with the application and close before the web server stops.
 */
class ServiceHostsLifecycleTests {

	@AutoClose("shutdown")
	private final CancellationTimer timer = new CancellationTimer("test");

	@Test
	void opensCreatedHostsAndClosesThemOnStop() throws Exception {
		DefaultServiceHost orders = new DefaultServiceHost(ServiceHostSettings.of("orders", "/orders"), this.timer);
		DefaultServiceHost billing = new DefaultServiceHost(ServiceHostSettings.of("billing", "/billing"), this.timer);
		ServiceHostsLifecycle lifecycle = new ServiceHostsLifecycle(new ServiceHosts(List.of(orders, billing)));
		lifecycle.start();
		assertThat(lifecycle.isRunning()).isTrue();
		assertThat(orders.state()).isEqualTo(HostState.OPEN);
		billing.abort("test");
		CountDownLatch stopped = new CountDownLatch(1);
		lifecycle.stop(stopped::countDown);
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(lifecycle.isRunning()).isFalse();
		assertThat(orders.state()).isEqualTo(HostState.CLOSED);
		assertThat(billing.state()).isEqualTo(HostState.CLOSED);
		lifecycle.start();
		assertThat(orders.state()).isEqualTo(HostState.OPEN);
		assertThat(billing.state()).isEqualTo(HostState.OPEN);
	}

	@Test
	void stopsBeforeTheWebServerShutsDownGracefully() {
		assertThat(ServiceHostsLifecycle.PHASE).isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
	}

}
