package io.github.cancellablesoap.server;

import org.jspecify.annotations.Nullable;

/**
 * The answer of a host to a new request: the admitted operation, or why it was refused.
 * Immutable and thread-safe.
 *
 * @param operation the admitted operation, or {@code null} when refused
 * @param refusal why the request was refused, or {@code null} when admitted
 * @param hostState the host's state at admission
 * @param listenerState the listener's state at admission
 */
record Admission(@Nullable Operation operation, @Nullable String refusal, HostState hostState,
		ListenerState listenerState) {

}
