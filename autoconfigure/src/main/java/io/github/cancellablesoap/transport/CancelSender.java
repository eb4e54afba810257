package io.github.cancellablesoap.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.WireProtocol;

/**
 * Sends the explicit cancel of an aborted call to its host: one bounded, asynchronous,
 * best-effort POST to the call's address with the call's id and token
 * ({@link WireProtocol#CANCEL_CALL_HEADER}, {@link WireProtocol#CALL_TOKEN_HEADER}) and
 * no body. It sends only to addresses whose last answer carried
 * {@link WireProtocol#CANCEL_SUPPORT_HEADER} (remembered per address, at most
 * {@value #MAX_ADDRESSES} of them), so a third-party service never receives a message it
 * does not know.
 * <p>
 * Cancels go through the JDK's HTTP client, not the proxy's own: a proxy abort stops its
 * client, and the cancels of the calls it aborted must still leave. They carry the
 * proxy's configured credentials, and go directly to the host, never through the proxy's
 * forward proxy. At most {@value #MAX_IN_FLIGHT} cancels are in flight per proxy, each
 * bounded by {@link #TIMEOUT}; one beyond that is dropped with a debug log (the host
 * still learns of the abort when the closed socket reaches it). Nothing here blocks the
 * aborting thread, and the token is never logged.
 * <p>
 * The JDK client is shared by all proxies, created with the first cancel and never closed
 * (a Java 17 client cannot be): one daemon selector thread for the application.
 * <p>
 * Thread-safe.
 */
final class CancelSender {

	/** How long a cancel may take, connecting included. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	static final int MAX_IN_FLIGHT = 16;

	static final int MAX_ADDRESSES = 256;

	private static final Log logger = LogFactory.getLog(CancelSender.class);

	private final String proxy;

	private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

	private final Map<String, Boolean> supporting = new ConcurrentHashMap<>();

	/** The proxy's configured {@code Authorization} value, or {@code null}. */
	private final @Nullable String authorization;

	CancelSender(String proxy) {
		this(proxy, null);
	}

	/**
	 * Create the sender of a proxy whose service wants credentials on every request,
	 * cancels included.
	 * @param proxy the proxy name
	 * @param authorization the {@code Authorization} header value, or {@code null}
	 */
	CancelSender(String proxy, @Nullable String authorization) {
		this.proxy = proxy;
		this.authorization = authorization;
	}

	/**
	 * Remember whether the peer at an address understands cancels, from the headers of an
	 * answer it sent.
	 * @param address the call's address
	 * @param supportHeader the answer's {@link WireProtocol#CANCEL_SUPPORT_HEADER}, or
	 * {@code null} when it had none
	 */
	void learn(URI address, @Nullable String supportHeader) {
		boolean supported = supportHeader != null
				&& WireProtocol.CANCEL_SUPPORTED.equalsIgnoreCase(supportHeader.trim());
		if (!supported && this.supporting.isEmpty()) {
			// a proxy of third-party peers only: nothing to forget, no key to build per
			// answer
			return;
		}
		String key = key(address);
		if (supported) {
			if (!this.supporting.containsKey(key) && this.supporting.size() < MAX_ADDRESSES) {
				this.supporting.put(key, Boolean.TRUE);
			}
		}
		else {
			this.supporting.remove(key);
		}
	}

	/**
	 * Whether the peer at an address said it understands cancels.
	 * @param address the address
	 * @return {@code true} when its last answer said so
	 */
	boolean understands(URI address) {
		return this.supporting.containsKey(key(address));
	}

	/**
	 * Send the cancel of a call whose request was sent, when its peer understands one;
	 * returns at once.
	 * @param address the call's address
	 * @param callId the call id
	 * @param token the call's token
	 * @return {@code true} when a cancel was handed to the client
	 */
	boolean send(URI address, String callId, String token) {
		if (!understands(address)) {
			return false;
		}
		if (!this.inFlight.tryAcquire()) {
			logger.debug("Proxy '" + this.proxy + "' dropped the cancel of call " + callId + ": " + MAX_IN_FLIGHT
					+ " cancels are in flight already");
			return false;
		}
		try {
			HttpRequest.Builder builder = HttpRequest.newBuilder(address)
				.timeout(TIMEOUT)
				.header(WireProtocol.CANCEL_CALL_HEADER, callId)
				.header(WireProtocol.CALL_TOKEN_HEADER, token)
				.POST(HttpRequest.BodyPublishers.noBody());
			if (this.authorization != null) {
				builder.header("Authorization", this.authorization);
			}
			HttpRequest request = builder.build();
			client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
				this.inFlight.release();
				if (logger.isDebugEnabled()) {
					logger.debug("Proxy '" + this.proxy + "' cancel of call " + callId + ": "
							+ ((failure != null) ? "failed (" + failure + ")" : "HTTP " + response.statusCode()));
				}
			});
			return true;
		}
		catch (RuntimeException ex) {
			this.inFlight.release();
			logger.debug("Proxy '" + this.proxy + "' could not send the cancel of call " + callId, ex);
			return false;
		}
	}

	private static HttpClient client() {
		return SharedClient.INSTANCE;
	}

	/**
	 * The one JDK client every proxy's cancels go through, created with the first cancel
	 * of the JVM (a holder class, so no lock on the way): one selector thread for the
	 * application, not one per proxy, since a Java 17 client cannot be closed.
	 */
	private static final class SharedClient {

		static final HttpClient INSTANCE = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(TIMEOUT)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

	}

	/** The address without user info, query or fragment: where cancels go. */
	private static String key(URI address) {
		String scheme = String.valueOf(address.getScheme()).toLowerCase(Locale.ROOT);
		String host = String.valueOf(address.getHost()).toLowerCase(Locale.ROOT);
		return scheme + "://" + host + ":" + address.getPort() + address.getRawPath();
	}

}
