/**
 * A scripted HTTP/1.1 server for tests of HTTP clients, and a raw client for the requests
 * no client library writes:
 * {@link io.github.cancellablesoap.test.http.ScriptedHttpServer} puts itself in an exact
 * state per request (a {@link io.github.cancellablesoap.test.http.Behaviour}: answer,
 * delay, hang, stall, dribble, hold until released, close, reset, or hostile bytes
 * written by a script), and each accepted
 * {@link io.github.cancellablesoap.test.http.ServerConnection} reports what the server
 * saw on it, in particular whether and when the client closed the socket.
 * <p>
 * The SOAP-aware service in the parent package is built on this server; use this package
 * directly for protocol-level tests that need no SOAP envelope. Request parsing is Apache
 * HttpCore's; OkHttp's {@code mockwebserver3} was weighed and not taken: it reports
 * requests, not the moment a client closes a connection it is holding, and its responses
 * are built in memory, so malformed or endless bytes cannot be expressed.
 */
package io.github.cancellablesoap.test.http;
