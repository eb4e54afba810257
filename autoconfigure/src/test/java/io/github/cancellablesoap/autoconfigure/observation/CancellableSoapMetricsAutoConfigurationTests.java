package io.github.cancellablesoap.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cancellablesoap.autoconfigure.AutoConfigurationRunners;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.observation.AbortsMeter;
import io.github.cancellablesoap.observation.DefaultSoapClientObservationConvention;
import io.github.cancellablesoap.observation.DefaultSoapServerObservationConvention;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.MeterOperationListener;
import io.github.cancellablesoap.observation.ObservationCallListener;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.github.cancellablesoap.observation.ServiceHostMeterBinder;
import io.github.cancellablesoap.observation.ServiceProxyMeterBinder;
import io.github.cancellablesoap.observation.SoapClientObservationConvention;
import io.github.cancellablesoap.observation.SoapServerObservationConvention;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters and observations of {@link CancellableSoapMetricsAutoConfiguration}: its
 * client and server parts, with and without Micrometer's registries.
 */
class CancellableSoapMetricsAutoConfigurationTests {

	private final AutoConfigurationRunners.Sides runners = AutoConfigurationRunners
		.sides(CancellableSoapMetricsAutoConfiguration.class);

	@Test
	void metersAndObservationsAreRecordedWhenMicrometerIsThere() {
		this.runners.proxies()
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> {
				assertThat(context).hasSingleBean(MeterCallListener.class).hasSingleBean(ObservationCallListener.class);
				context.getBean(ServiceProxies.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ServiceProxyMeterBinder.class).bindTo(registry);
				assertThat(registry.get("soap.client.calls.active").tag("proxy", "quotes").gauge().value()).isZero();
			});
	}

	@Test
	void anApplicationsObservationConventionReplacesTheDefault() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.runners.proxies()
			.withBean(ObservationRegistry.class, () -> registry)
			.withBean(SoapClientObservationConvention.class, RenamingConvention::new)
			.run((context) -> {
				ObservationCallListener listener = context.getBean(ObservationCallListener.class);
				Object state = listener.callStarted(new CallListener.StartedCall("quotes", "c-1"));
				listener.callEnded(
						new CallListener.EndedCall("quotes", "c-1", "getQuote", CallOutcome.COMPLETED, 1000, null),
						state);
				TestObservationRegistryAssert.assertThat(registry)
					.hasSingleObservationThat()
					.hasNameEqualTo("quotes.calls")
					.hasLowCardinalityKeyValue("outcome", "COMPLETED")
					.hasBeenStopped();
			});
	}

	@Test
	void anApplicationsServerObservationConventionReplacesTheDefault() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withBean(ObservationRegistry.class, () -> registry)
			.withBean(SoapServerObservationConvention.class, RenamingServerConvention::new)
			.run((context) -> {
				ObservationOperationListener listener = context.getBean(ObservationOperationListener.class);
				Object state = listener.operationStarted(new OperationListener.StartedOperation("main", "o-1", null));
				listener.operationEnded(new OperationListener.EndedOperation("main", "o-1", null, "getQuote",
						OperationOutcome.COMPLETED, null, 1000, null), state);
				TestObservationRegistryAssert.assertThat(registry)
					.hasSingleObservationThat()
					.hasNameEqualTo("main.operations")
					.hasLowCardinalityKeyValue("outcome", "COMPLETED")
					.hasBeenStopped();
			});
	}

	@Test
	void noMetersWithoutMicrometer() {
		this.runners.proxies()
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MeterCallListener.class)
				.doesNotHaveBean(ObservationCallListener.class));
	}

	@Test
	void bindsTheActiveOperationsGaugeWhenAMeterRegistryIsPresent() {
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ServiceHostMeterBinder.class).bindTo(registry);
				assertThat(registry.get("soap.server.operations.active").tag("host", "main").gauge().value()).isZero();
			});
	}

	@Test
	void hostsHearThroughTheMeterAndObservationListenersAndTheApplicationsOwn() {
		List<OperationListener.AbortEvent> heard = new CopyOnWriteArrayList<>();
		OperationListener own = new OperationListener() {

			@Override
			public void aborted(AbortEvent event) {
				heard.add(event);
			}

		};
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap",
					"cancellable-soap.proxies.remote.address=http://localhost:1/ws")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean(OperationListener.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(MeterOperationListener.class)
					.hasSingleBean(ObservationOperationListener.class)
					.hasSingleBean(MeterCallListener.class)
					.hasSingleBean(AbortsMeter.class);
				assertThat(context.getBean(ServiceHost.class).abortListener("test")).isTrue();
				assertThat(heard).extracting(OperationListener.AbortEvent::target).containsExactly("listener");
				assertThat(context.getBean(MeterRegistry.class)
					.get(MeterCallListener.ABORTS)
					.tags("target", "listener", "reason", "requested", "initiator", "application")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void declaresNoOperationListenersWithoutRegistries() {
		this.runners.hosts()
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.withPropertyValues("cancellable-soap.hosts.main.path=/soap")
			.run((context) -> assertThat(context).hasSingleBean(ServiceHosts.class)
				.doesNotHaveBean(MeterOperationListener.class)
				.doesNotHaveBean(ObservationOperationListener.class)
				.doesNotHaveBean(ServiceHostMeterBinder.class));
	}

	static class RenamingServerConvention extends DefaultSoapServerObservationConvention {

		@Override
		public String getName() {
			return "main.operations";
		}

	}

	static class RenamingConvention extends DefaultSoapClientObservationConvention {

		@Override
		public String getName() {
			return "quotes.calls";
		}

	}

}
