package io.github.cancellablesoap.operator;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.jspecify.annotations.Nullable;

/**
 * The collections an operator addresses, as {@code <collection>/<id>}.
 * <p>
 * Thread-safe: immutable; {@code from} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
enum OperatorCollection implements OperatorWord {

	/** Service proxies, by name. */
	PROXIES,

	/** Calls in flight, by call id. */
	CALLS,

	/** Channels of calls in flight, by channel id. */
	CHANNELS,

	/** Service hosts, by name. */
	HOSTS,

	/** Running operations, by operation id. */
	OPERATIONS;

	/**
	 * The collection of that name, or {@code null}.
	 * @param name the collection as sent, case-sensitive
	 * @return the collection, or {@code null} when there is none of that name
	 */
	static @Nullable OperatorCollection find(String name) {
		return OperatorInput.find(values(), name);
	}

	/**
	 * Parse a collection.
	 * @param name the collection as sent, case-sensitive
	 * @return the collection
	 * @throws OperatorRequestException (404) naming the collections when none matches
	 */
	static OperatorCollection from(String name) {
		OperatorCollection collection = find(name);
		if (collection == null) {
			throw new OperatorRequestException(Status.NOT_FOUND, "No collection" + OperatorInput.quoted(name)
					+ "; use proxies, calls, channels, hosts or operations");
		}
		return collection;
	}

}
