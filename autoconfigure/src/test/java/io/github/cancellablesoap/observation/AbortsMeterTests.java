package io.github.cancellablesoap.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.server.OperationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AbortsMeterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void countsEveryAbortFromManyThreadsIntoOneCounterPerTagSet() throws Exception {
		AbortsMeter aborts = new AbortsMeter(this.registry);
		int threads = 8;
		int perThread = 2_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				runs.add(pool.submit(() -> {
					go.await();
					for (int i = 0; i < perThread; i++) {
						String target = ((i + thread) % 2 == 0) ? "call" : "host";
						aborts.increment(target, "requested", "operator");
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> run : runs) {
				run.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.registry.get(AbortsMeter.NAME).counters()).hasSize(2);
		assertThat(count("call")).isEqualTo(threads * perThread / 2.0);
		assertThat(count("host")).isEqualTo(threads * perThread / 2.0);
	}

	@Test
	void theProxiesAndTheHostsListenersCountThroughTheSameProvider() {
		AbortsMeter aborts = new AbortsMeter(this.registry);
		new MeterCallListener(this.registry, aborts)
			.aborted(new CallListener.AbortEvent("quotes", "call", "requested", "operator", true));
		new MeterOperationListener(this.registry, aborts)
			.aborted(new OperationListener.AbortEvent("orders", "call", "requested", "operator"));
		Counter counter = this.registry.get(MeterCallListener.ABORTS)
			.tags("target", "call", "reason", "requested", "initiator", "operator")
			.counter();
		assertThat(counter.count()).isEqualTo(2.0);
		assertThat(this.registry.get(AbortsMeter.NAME).counters()).hasSize(1);
		assertThat(counter.getId().getDescription())
			.isEqualTo("Aborts of SOAP proxies, calls, channels, hosts, listeners and operations");
	}

	private double count(String target) {
		return this.registry.get(AbortsMeter.NAME)
			.tags("target", target, "reason", "requested", "initiator", "operator")
			.counter()
			.count();
	}

}
