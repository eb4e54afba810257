package io.github.cancellablesoap.server;

import io.github.cancellablesoap.core.TargetsLifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * Opens service hosts when the application starts and closes them, in parallel and each
 * within its close timeout plus abort grace, when it stops. See {@link TargetsLifecycle}
 * for what start and stop do.
 * <p>
 * Its phase, {@link #PHASE}, is above that of Spring Boot's graceful web server shutdown
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) and web server start/stop
 * ({@code DEFAULT_PHASE - 2048}): hosts are closed (drained, then cancelled) before the
 * web server stops taking requests and waits for those still active, and opened just
 * after it started.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceHostsLifecycle extends TargetsLifecycle<ServiceHost> implements SmartLifecycle {

	/** The lifecycle phase of service hosts. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/**
	 * Create the lifecycle of the given hosts.
	 * @param hosts the hosts
	 */
	public ServiceHostsLifecycle(ServiceHosts hosts) {
		super("host", hosts.all(), PHASE);
	}

}
