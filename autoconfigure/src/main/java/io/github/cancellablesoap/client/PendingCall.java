package io.github.cancellablesoap.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A call started with {@link ServiceProxy#submit}: its id is known before it ends.
 * <p>
 * Thread-safe.
 *
 * @param <T> the result type
 * @param callId the call id, usable with {@link ServiceProxy#abandon} and
 * {@link ServiceProxy#abortCall}
 * @param result completes with the call's result, or exceptionally with the exception a
 * synchronous caller would have seen
 * @author Cancellable SOAP
 */
public record PendingCall<T>(String callId, CompletableFuture<@Nullable T> result) {

}
