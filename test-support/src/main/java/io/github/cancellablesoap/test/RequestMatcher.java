package io.github.cancellablesoap.test;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Which requests a scripted {@link SoapBehaviour} applies to: every request, or those
 * with a given SOAP action, path, or both.
 * <p>
 * Immutable and thread-safe.
 *
 * @param soapAction the SOAP action to match ({@code SOAPAction} header in SOAP 1.1, the
 * {@code action} parameter of the content type in SOAP 1.2, without quotes), or
 * {@code null} for any
 * @param path the request path to match exactly (query excluded), or {@code null} for any
 * @author Cancellable SOAP
 */
public record RequestMatcher(@Nullable String soapAction, @Nullable String path) {

	private static final RequestMatcher ANY = new RequestMatcher(null, null);

	/**
	 * Every request.
	 * @return the matcher
	 */
	public static RequestMatcher any() {
		return ANY;
	}

	/**
	 * Requests with a SOAP action.
	 * @param soapAction the action, without quotes, for example {@code urn:placeOrder}
	 * @return the matcher
	 */
	public static RequestMatcher soapAction(String soapAction) {
		return new RequestMatcher(Objects.requireNonNull(soapAction, "soapAction"), null);
	}

	/**
	 * Requests to a path.
	 * @param path the path, for example {@code /ws/orders}
	 * @return the matcher
	 */
	public static RequestMatcher path(String path) {
		return new RequestMatcher(null, Objects.requireNonNull(path, "path"));
	}

	/**
	 * A copy that also requires a path.
	 * @param path the path
	 * @return a new matcher
	 */
	public RequestMatcher andPath(String path) {
		return new RequestMatcher(this.soapAction, Objects.requireNonNull(path, "path"));
	}

	/**
	 * Whether a request matches.
	 * @param request the request
	 * @return whether it matches
	 */
	public boolean matches(SoapRequest request) {
		return (this.soapAction == null || this.soapAction.equals(request.soapAction().orElse(null)))
				&& (this.path == null || this.path.equals(request.path()));
	}

	@Override
	public String toString() {
		if (this == ANY || (this.soapAction == null && this.path == null)) {
			return "any request";
		}
		return "requests" + ((this.soapAction != null) ? " with SOAP action " + this.soapAction : "")
				+ ((this.path != null) ? " to " + this.path : "");
	}

}
