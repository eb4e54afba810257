package io.github.cancellablesoap.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.client.TimeoutAction;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of cancellable SOAP service proxies and hosts, under
 * {@code cancellable-soap}.
 *
 * @author Cancellable SOAP
 */
@ConfigurationProperties(CancellableSoapProperties.PREFIX)
public class CancellableSoapProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "cancellable-soap";

	/**
	 * Whether cancellable SOAP proxies and hosts are configured at all.
	 */
	private boolean enabled = true;

	/**
	 * Settings applied to every proxy unless the proxy sets its own.
	 */
	@NestedConfigurationProperty
	private final Proxy proxyDefaults = new Proxy();

	/**
	 * Service proxies by name; each becomes a ServiceProxy bean injectable with
	 * {@code @Qualifier("<name>")}.
	 */
	private final Map<String, Proxy> proxies = new LinkedHashMap<>();

	/**
	 * Settings applied to every service host unless the host sets its own.
	 */
	@NestedConfigurationProperty
	private final HostDefaults hostDefaults = new HostDefaults();

	/**
	 * Service hosts by name; each becomes a ServiceHost bean injectable with
	 * {@code @Qualifier("<name>")} and serves its endpoints under its own path.
	 */
	private final Map<String, Host> hosts = new LinkedHashMap<>();

	/**
	 * The REST abort controller.
	 */
	private final Controller controller = new Controller();

	/**
	 * Who may use the operator verbs of the soapcalls endpoint and the abort controller.
	 */
	private final Operator operator = new Operator();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Proxy getProxyDefaults() {
		return this.proxyDefaults;
	}

	public Map<String, Proxy> getProxies() {
		return this.proxies;
	}

	public HostDefaults getHostDefaults() {
		return this.hostDefaults;
	}

	public Map<String, Host> getHosts() {
		return this.hosts;
	}

	public Controller getController() {
		return this.controller;
	}

	public Operator getOperator() {
		return this.operator;
	}

	/**
	 * Settings of one service proxy; unset values come from {@code proxy-defaults}, then
	 * from the built-in defaults.
	 */
	public static class Proxy {

		/**
		 * Absolute http or https address of the remote SOAP service.
		 */
		private @Nullable URI address;

		/**
		 * How long a call may take before it ends as TIMED_OUT (default 30s).
		 */
		private @Nullable Duration callTimeout;

		/**
		 * What a timeout does to the call's I/O: abort closes the channel (default),
		 * abandon releases the caller only.
		 */
		private @Nullable TimeoutAction timeoutAction;

		/**
		 * How many calls may be in flight at once, abandoned ones included; more are
		 * rejected (default 100).
		 */
		private @Nullable Integer maxPendingCalls;

		/**
		 * How long a graceful close lets pending calls finish before aborting them
		 * (default 5s).
		 */
		private @Nullable Duration closeTimeout;

		/**
		 * Hard limit on the I/O of an abandoned call, counted from the abandon (default
		 * 60s).
		 */
		private @Nullable Duration abandonedIoTimeout;

		/**
		 * TCP connect timeout (default 10s).
		 */
		private @Nullable Duration connectTimeout;

		/**
		 * Largest response body accepted, counted as received and again after
		 * decompression; a larger one fails the call (default 16MB).
		 */
		private @Nullable DataSize maxResponseSize;

		/**
		 * Longest line of a response head (status line, header, chunk header, trailer); a
		 * longer one fails the call (default 64KB).
		 */
		private @Nullable DataSize maxResponseHeaderSize;

		/**
		 * Most headers (and most trailers) a response may have; more fail the call
		 * (default 100).
		 */
		private @Nullable Integer maxResponseHeaders;

		/**
		 * Deepest element nesting of a response document; a deeper one fails the call
		 * while it is read (default 256).
		 */
		private @Nullable Integer maxXmlDepth;

		public @Nullable URI getAddress() {
			return this.address;
		}

		public void setAddress(@Nullable URI address) {
			this.address = address;
		}

		public @Nullable Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(@Nullable Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public @Nullable TimeoutAction getTimeoutAction() {
			return this.timeoutAction;
		}

		public void setTimeoutAction(@Nullable TimeoutAction timeoutAction) {
			this.timeoutAction = timeoutAction;
		}

		public @Nullable Integer getMaxPendingCalls() {
			return this.maxPendingCalls;
		}

		public void setMaxPendingCalls(@Nullable Integer maxPendingCalls) {
			this.maxPendingCalls = maxPendingCalls;
		}

		public @Nullable Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(@Nullable Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public @Nullable Duration getAbandonedIoTimeout() {
			return this.abandonedIoTimeout;
		}

		public void setAbandonedIoTimeout(@Nullable Duration abandonedIoTimeout) {
			this.abandonedIoTimeout = abandonedIoTimeout;
		}

		public @Nullable Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(@Nullable DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public @Nullable DataSize getMaxResponseHeaderSize() {
			return this.maxResponseHeaderSize;
		}

		public void setMaxResponseHeaderSize(@Nullable DataSize maxResponseHeaderSize) {
			this.maxResponseHeaderSize = maxResponseHeaderSize;
		}

		public @Nullable Integer getMaxResponseHeaders() {
			return this.maxResponseHeaders;
		}

		public void setMaxResponseHeaders(@Nullable Integer maxResponseHeaders) {
			this.maxResponseHeaders = maxResponseHeaders;
		}

		public @Nullable Integer getMaxXmlDepth() {
			return this.maxXmlDepth;
		}

		public void setMaxXmlDepth(@Nullable Integer maxXmlDepth) {
			this.maxXmlDepth = maxXmlDepth;
		}

	}

	/**
	 * Settings that every service host shares unless it sets its own; unset values take
	 * the built-in defaults.
	 */
	public static class HostDefaults {

		/**
		 * How long a graceful close lets running operations finish before cancelling them
		 * (default 5s).
		 */
		private @Nullable Duration closeTimeout;

		/**
		 * How long an abort, or a close that ran out of time, waits for cancelled
		 * operations to return before interrupting their threads (default 5s).
		 */
		private @Nullable Duration abortGrace;

		/**
		 * How many operations may run at once; more requests are refused with HTTP 503
		 * (default 200).
		 */
		private @Nullable Integer maxConcurrentOperations;

		/**
		 * Largest request body accepted; larger ones are refused with HTTP 413 before or
		 * while they arrive (default 10MB).
		 */
		private @Nullable DataSize maxRequestSize;

		/**
		 * How many request bodies may be arriving at once; more requests are refused with
		 * HTTP 503 (default 500).
		 */
		private @Nullable Integer maxReceivingRequests;

		/**
		 * How long a request body may take to arrive in full; a slower one is refused
		 * with HTTP 408 and its connection closed (default 30s).
		 */
		private @Nullable Duration requestBodyTimeout;

		/**
		 * Longest deadline a caller's time budget header can give an operation; longer
		 * budgets are cut to it (default 1h).
		 */
		private @Nullable Duration maxCallTimeout;

		/**
		 * Deepest element nesting a request may have; deeper ones are refused with HTTP
		 * 400 while they arrive (default 256).
		 */
		private @Nullable Integer maxXmlDepth;

		public @Nullable Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(@Nullable Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public @Nullable Duration getAbortGrace() {
			return this.abortGrace;
		}

		public void setAbortGrace(@Nullable Duration abortGrace) {
			this.abortGrace = abortGrace;
		}

		public @Nullable Integer getMaxConcurrentOperations() {
			return this.maxConcurrentOperations;
		}

		public void setMaxConcurrentOperations(@Nullable Integer maxConcurrentOperations) {
			this.maxConcurrentOperations = maxConcurrentOperations;
		}

		public @Nullable DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(@Nullable DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public @Nullable Integer getMaxReceivingRequests() {
			return this.maxReceivingRequests;
		}

		public void setMaxReceivingRequests(@Nullable Integer maxReceivingRequests) {
			this.maxReceivingRequests = maxReceivingRequests;
		}

		public @Nullable Duration getRequestBodyTimeout() {
			return this.requestBodyTimeout;
		}

		public void setRequestBodyTimeout(@Nullable Duration requestBodyTimeout) {
			this.requestBodyTimeout = requestBodyTimeout;
		}

		public @Nullable Duration getMaxCallTimeout() {
			return this.maxCallTimeout;
		}

		public void setMaxCallTimeout(@Nullable Duration maxCallTimeout) {
			this.maxCallTimeout = maxCallTimeout;
		}

		public @Nullable Integer getMaxXmlDepth() {
			return this.maxXmlDepth;
		}

		public void setMaxXmlDepth(@Nullable Integer maxXmlDepth) {
			this.maxXmlDepth = maxXmlDepth;
		}

	}

	/**
	 * Settings of one service host; unset values come from {@code host-defaults}, then
	 * from the built-in defaults.
	 */
	public static class Host extends HostDefaults {

		/**
		 * Servlet path the host serves SOAP requests on, such as /soap/orders; each host
		 * needs its own.
		 */
		private @Nullable String path;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

	}

	/**
	 * Settings of the REST abort controller.
	 */
	public static class Controller {

		/**
		 * Whether to register the REST abort controller, which lists in-flight calls and
		 * runs the operator verbs under the controller path.
		 */
		private boolean enabled;

		/**
		 * Path under which the REST abort controller answers.
		 */
		private String path = "/soapcalls";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

	/**
	 * Settings of operator access.
	 */
	public static class Operator {

		/**
		 * Role, without the ROLE_ prefix, that a user needs for operator verbs when
		 * Spring Security is in use; reads need any authenticated user.
		 */
		private String role = "SOAP_OPERATOR";

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

	}

}
