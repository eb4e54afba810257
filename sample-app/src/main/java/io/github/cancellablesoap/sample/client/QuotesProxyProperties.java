package io.github.cancellablesoap.sample.client;

import java.net.URI;
import java.time.Duration;

import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.TimeoutAction;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample's {@code quotes} service proxy, bound from
 * {@code sample.quotes.*}.
 *
 * @author Cancellable SOAP
 */
@ConfigurationProperties("sample.quotes")
public class QuotesProxyProperties {

	/**
	 * Address of the quotes service; when unset, the application's own web services path
	 * on the loopback interface and the port the server actually listens on.
	 */
	private URI address;

	/** How long a call may take before it ends as TIMED_OUT. */
	private Duration callTimeout = ProxySettings.DEFAULT_CALL_TIMEOUT;

	/** What a call timeout does to the exchange: abort it, or abandon it. */
	private TimeoutAction timeoutAction = TimeoutAction.ABORT;

	/** How many calls may be in flight at once, abandoned ones included. */
	private int maxPendingCalls = ProxySettings.DEFAULT_MAX_PENDING_CALLS;

	/** How long a graceful close waits for pending calls before aborting them. */
	private Duration closeTimeout = ProxySettings.DEFAULT_CLOSE_TIMEOUT;

	/** Hard limit on the I/O of an abandoned call, after which it is aborted. */
	private Duration abandonedIoTimeout = ProxySettings.DEFAULT_ABANDONED_IO_TIMEOUT;

	/** How long connecting to the service may take. */
	private Duration connectTimeout = ProxySettings.DEFAULT_CONNECT_TIMEOUT;

	public URI getAddress() {
		return this.address;
	}

	public void setAddress(URI address) {
		this.address = address;
	}

	public Duration getCallTimeout() {
		return this.callTimeout;
	}

	public void setCallTimeout(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public TimeoutAction getTimeoutAction() {
		return this.timeoutAction;
	}

	public void setTimeoutAction(TimeoutAction timeoutAction) {
		this.timeoutAction = timeoutAction;
	}

	public int getMaxPendingCalls() {
		return this.maxPendingCalls;
	}

	public void setMaxPendingCalls(int maxPendingCalls) {
		this.maxPendingCalls = maxPendingCalls;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public Duration getAbandonedIoTimeout() {
		return this.abandonedIoTimeout;
	}

	public void setAbandonedIoTimeout(Duration abandonedIoTimeout) {
		this.abandonedIoTimeout = abandonedIoTimeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	/**
	 * Turn these settings into the proxy's immutable settings.
	 * @param name the proxy name
	 * @param address the address to use
	 * @return the settings
	 */
	ProxySettings toSettings(String name, URI address) {
		return ProxySettings.builder(name, address)
			.callTimeout(this.callTimeout)
			.timeoutAction(this.timeoutAction)
			.maxPendingCalls(this.maxPendingCalls)
			.closeTimeout(this.closeTimeout)
			.abandonedIoTimeout(this.abandonedIoTimeout)
			.connectTimeout(this.connectTimeout)
			.build();
	}

}
