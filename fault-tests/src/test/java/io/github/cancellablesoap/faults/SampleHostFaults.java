package io.github.cancellablesoap.faults;

import java.util.function.UnaryOperator;

import io.github.cancellablesoap.client.DefaultServiceProxy;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.test.docker.EnabledIfDocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The base of the fault tests against the shared sample host container
 * ({@link SampleHost#container(ExtensionContext)}): proxies in this JVM, and the host
 * unpaused after each test whatever happened.
 */
@EnabledIfDocker
abstract class SampleHostFaults {

	@RegisterExtension
	final Proxies proxies = new Proxies();

	FaultContainer host;

	/** The shared host, from the run's root store (lifecycle methods get no context). */
	@RegisterExtension
	final BeforeEachCallback sharedHost = (context) -> this.host = SampleHost.container(context);

	@AfterEach
	void unpauseTheHost() {
		if (this.host.isPaused()) {
			this.host.unpause();
		}
	}

	/**
	 * An open proxy to the host's published port.
	 * @param settings changes to the default settings
	 * @return the proxy
	 */
	DefaultServiceProxy open(UnaryOperator<ProxySettings.Builder> settings) {
		return this.proxies.open(SampleHost.soapAddress(this.host.port()), settings);
	}

}
