package io.github.cancellablesoap.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cancellablesoap.core.ParallelClose;

import org.springframework.context.SmartLifecycle;

/**
 * Opens service hosts when the application starts and closes them, in parallel and each
 * within its close timeout plus abort grace, when it stops.
 * <p>
 * Its phase, {@link #PHASE}, is above that of Spring Boot's graceful web server shutdown
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) and web server start/stop
 * ({@code DEFAULT_PHASE - 2048}): hosts are closed (drained, then cancelled) before the
 * web server stops taking requests and waits for those still active, and opened just
 * after it started. At start, CREATED hosts are opened and hosts this lifecycle closed at
 * a previous stop are reset and opened again (a stopped and restarted context, as in
 * Spring's test context pausing); other hosts are left as they are.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ServiceHostsLifecycle implements SmartLifecycle {

	/** The lifecycle phase of service hosts. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final List<ServiceHost> hosts;

	private final Set<ServiceHost> closedByStop = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/**
	 * Create the lifecycle of the given hosts.
	 * @param hosts the hosts
	 */
	public ServiceHostsLifecycle(ServiceHosts hosts) {
		this.hosts = hosts.all();
	}

	@Override
	public void start() {
		for (ServiceHost host : this.hosts) {
			if (this.closedByStop.remove(host) && host.state() == HostState.CLOSED) {
				host.reset();
			}
			if (host.state() == HostState.CREATED) {
				host.open();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		Map<String, Runnable> closes = new LinkedHashMap<>();
		for (ServiceHost host : this.hosts) {
			HostState state = host.state();
			if (state == HostState.OPEN || state == HostState.FAULTED) {
				this.closedByStop.add(host);
				closes.put("soap-host-close-" + host.name(), host::close);
			}
		}
		ParallelClose.run(closes);
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		Thread stopper = new Thread(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}, "soap-hosts-stop");
		stopper.setDaemon(true);
		stopper.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
