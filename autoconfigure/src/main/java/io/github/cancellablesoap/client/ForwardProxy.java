package io.github.cancellablesoap.client;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The forward (outbound) HTTP proxy a service proxy's requests go through: plain http
 * requests as absolute-URI requests, https ones through a {@code CONNECT} tunnel; hosts
 * that match one of its {@code non-proxy-hosts} patterns are called directly.
 * <p>
 * Patterns follow the JDK's {@code http.nonProxyHosts}: a host name or address, matched
 * without case against the host of the address as written (no name lookup), where
 * {@code *} stands for any characters, so {@code *.internal.example.com},
 * {@code localhost}, {@code 127.*} and {@code 10.1.2.3} all work. An IPv6 address is
 * written without brackets.
 * <p>
 * Immutable and thread-safe; {@link #toString()} never shows the password.
 *
 * @author Cancellable SOAP
 */
public final class ForwardProxy {

	private final String host;

	private final int port;

	private final @Nullable BasicCredentials credentials;

	private final List<String> nonProxyHosts;

	private final Pattern[] bypass;

	/**
	 * Describe a forward proxy.
	 * @param host its host name or address
	 * @param port its port
	 * @param credentials what to answer its authentication with, or {@code null}
	 * @param nonProxyHosts the patterns of hosts called directly
	 */
	public ForwardProxy(String host, int port, @Nullable BasicCredentials credentials, List<String> nonProxyHosts) {
		Objects.requireNonNull(host, "host");
		if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException(
					"A forward proxy host must be a host name or address, not '" + host + "'");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("A forward proxy port must be between 1 and 65535, not " + port);
		}
		this.host = host;
		this.port = port;
		this.credentials = credentials;
		this.nonProxyHosts = List.copyOf(nonProxyHosts);
		this.bypass = this.nonProxyHosts.stream().map(ForwardProxy::compile).toArray(Pattern[]::new);
	}

	private static Pattern compile(String pattern) {
		if (pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace) || pattern.indexOf('|') >= 0) {
			throw new IllegalArgumentException(
					"A non-proxy-hosts pattern is one host name or address, with * for any characters, not '" + pattern
							+ "'");
		}
		String[] parts = strip(pattern).toLowerCase(Locale.ROOT).split("\\*", -1);
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				regex.append(".*");
			}
			if (!parts[i].isEmpty()) {
				regex.append(Pattern.quote(parts[i]));
			}
		}
		return Pattern.compile(regex.toString());
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public @Nullable BasicCredentials credentials() {
		return this.credentials;
	}

	public List<String> nonProxyHosts() {
		return this.nonProxyHosts;
	}

	/**
	 * Whether requests to a host bypass this proxy.
	 * @param targetHost the host of an address, as written (IPv6 with or without
	 * brackets)
	 * @return {@code true} when one of the non-proxy-hosts patterns matches it
	 */
	public boolean bypasses(String targetHost) {
		if (this.bypass.length == 0) {
			return false;
		}
		String name = strip(targetHost).toLowerCase(Locale.ROOT);
		for (Pattern pattern : this.bypass) {
			if (pattern.matcher(name).matches()) {
				return true;
			}
		}
		return false;
	}

	private static String strip(String host) {
		return (host.length() > 1 && host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1)
				: host;
	}

	@Override
	public String toString() {
		return "ForwardProxy[" + this.host + ":" + this.port
				+ ((this.credentials != null) ? ", username=" + this.credentials.username() : "") + ", nonProxyHosts="
				+ this.nonProxyHosts + "]";
	}

}
