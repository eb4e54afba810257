package io.github.cancellablesoap.client;

import org.jspecify.annotations.Nullable;

/**
 * Hands the call that a service proxy is making to the transport beneath Spring WS, on
 * the caller's thread.
 * <p>
 * A plain thread-local holder: each method acts on the calling thread only.
 *
 * @author Cancellable SOAP
 */
public final class CurrentCall {

	private static final ThreadLocal<@Nullable CarriedCall> CURRENT = new ThreadLocal<>();

	private CurrentCall() {
	}

	/**
	 * The call that this thread is making through a service proxy.
	 * @return the call, or {@code null} outside a proxy call
	 */
	public static @Nullable CarriedCall get() {
		return CURRENT.get();
	}

	static @Nullable CarriedCall set(@Nullable CarriedCall call) {
		CarriedCall previous = CURRENT.get();
		if (call != null) {
			CURRENT.set(call);
		}
		else {
			CURRENT.remove();
		}
		return previous;
	}

}
