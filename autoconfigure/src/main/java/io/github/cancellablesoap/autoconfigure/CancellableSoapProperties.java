package io.github.cancellablesoap.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of cancellable SOAP service proxies and hosts, under
 * {@code cancellable-soap}: the master switch, the proxies ({@link ProxyProperties}) and
 * hosts ({@link HostProperties}, {@link HostDefaultsProperties}) by name, and the
 * controller, operator and callback settings, which are small enough to stay nested.
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
	private final ProxyProperties proxyDefaults = new ProxyProperties();

	/**
	 * Service proxies by name; each becomes a ServiceProxy bean injectable with
	 * {@code @Qualifier("<name>")}.
	 */
	private final Map<String, ProxyProperties> proxies = new LinkedHashMap<>();

	/**
	 * Settings applied to every service host unless the host sets its own.
	 */
	@NestedConfigurationProperty
	private final HostDefaultsProperties hostDefaults = new HostDefaultsProperties();

	/**
	 * Service hosts by name; each becomes a ServiceHost bean injectable with
	 * {@code @Qualifier("<name>")} and serves its endpoints under its own path.
	 */
	private final Map<String, HostProperties> hosts = new LinkedHashMap<>();

	/**
	 * The REST abort controller.
	 */
	private final Controller controller = new Controller();

	/**
	 * Who may use the operator verbs of the soapcalls endpoint and the abort controller.
	 */
	private final Operator operator = new Operator();

	/**
	 * The threads that run applications' cancel and completion callbacks.
	 */
	private final Callbacks callbacks = new Callbacks();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ProxyProperties getProxyDefaults() {
		return this.proxyDefaults;
	}

	public Map<String, ProxyProperties> getProxies() {
		return this.proxies;
	}

	public HostDefaultsProperties getHostDefaults() {
		return this.hostDefaults;
	}

	public Map<String, HostProperties> getHosts() {
		return this.hosts;
	}

	public Controller getController() {
		return this.controller;
	}

	public Operator getOperator() {
		return this.operator;
	}

	public Callbacks getCallbacks() {
		return this.callbacks;
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

	/**
	 * Settings of the threads that run applications' cancel and completion callbacks.
	 */
	public static class Callbacks {

		/**
		 * Most threads that run cancel and completion callbacks at once; each callback
		 * that blocks holds one (default 32).
		 */
		private int maxThreads = 32;

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

	}

}
