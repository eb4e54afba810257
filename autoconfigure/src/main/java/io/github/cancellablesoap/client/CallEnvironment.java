package io.github.cancellablesoap.client;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;

/**
 * What the calls of one proxy share: its settings, clock, timer, listener and registry.
 * Immutable; the parts it holds are thread-safe.
 *
 * @param settings the proxy's settings
 * @param ticker the clock for deadlines and elapsed times
 * @param timer the timer that enforces call timeouts and abandoned-I/O limits
 * @param notifier tells the proxy's listener about calls
 * @param registry the calls in flight
 */
record CallEnvironment(ProxySettings settings, Ticker ticker, CancellationTimer timer, CallNotifier notifier,
		CallRegistry registry) {

	static CallEnvironment of(ProxySettings settings, Ticker ticker, CancellationTimer timer) {
		return new CallEnvironment(settings, ticker, timer, new CallNotifier(settings.name(), ticker),
				new CallRegistry(settings.name(), settings.maxPendingCalls(), ticker));
	}

	String proxyName() {
		return this.settings.name();
	}

}
