/**
 * Service hosts: named sets of Spring WS endpoints served under their own path, their
 * state machines, the intake servlet that admits requests, and the operation context
 * through which a running endpoint learns that it was cancelled and why.
 * <p>
 * Endpoints bind to hosts this way: an endpoint class (or method) annotated with
 * {@link io.github.cancellablesoap.server.HostedBy @HostedBy} is served only by the hosts
 * it names; an endpoint without the annotation is served by every host whose settings
 * {@link io.github.cancellablesoap.server.ServiceHostSettings#servesUnboundEndpoints()
 * serve unbound endpoints}, which the auto-configuration switches on when exactly one
 * host is configured. A request that maps to an endpoint the host does not serve is
 * answered as if no endpoint existed (HTTP 404), and so is a request for a hosted
 * endpoint that reaches Spring WS's own {@code MessageDispatcherServlet}
 * ({@link io.github.cancellablesoap.server.UnhostedMessageDispatcher}).
 */
@NullMarked
package io.github.cancellablesoap.server;

import org.jspecify.annotations.NullMarked;
