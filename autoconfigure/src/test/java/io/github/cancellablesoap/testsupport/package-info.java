/**
 * Project-internal test support for the peers of a cancellable call: raw sockets, and
 * probes of the kernel's view of sockets, that a user-facing module has no business
 * shipping.
 * <p>
 * The scripted HTTP server ({@code ScriptedHttpServer}, its {@code Behaviour}s and
 * {@code ServerConnection}s), the raw HTTP client, {@code ThreadCounts} and
 * {@code BlockingOnce} live in the {@code cancellable-soap-spring-boot-test} module
 * ({@code io.github.cancellablesoap.test} and
 * {@code io.github.cancellablesoap.test.http}), which these tests use like any user
 * would. What stays here, and why it is not a library:
 * <ul>
 * <li>{@link io.github.cancellablesoap.testsupport.TcpSockets},
 * {@link io.github.cancellablesoap.testsupport.TcpSocket},
 * {@link io.github.cancellablesoap.testsupport.SharedSourcePortSockets} and
 * {@link io.github.cancellablesoap.testsupport.HangingConnectTarget}: the kernel's view
 * of this JVM's sockets (from {@code /proc/net/tcp}), two connections that share one
 * source port (only the full 4-tuple tells them apart) and a port whose connect hangs in
 * {@code SYN_SENT}, to prove that an abort closed sockets a server never answered and
 * that a detector tells callers apart; Linux-only probes.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.GzipBomb}: a valid gzip stream that
 * inflates to gigabytes from kilobytes of state; {@code java.util.zip} cannot produce it
 * without spending the gigabytes.</li>
 * <li>Certificates, key stores, a TLS echo server and a stalled TLS peer, a real
 * {@code tinyproxy} and an external server process: the project's TLS and forward-proxy
 * tests.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.Racers},
 * {@link io.github.cancellablesoap.testsupport.CountingListener} and
 * {@link io.github.cancellablesoap.testsupport.RecordingOperationListener}: many threads
 * released together by a barrier, a listener for either side of a call that counts what
 * it hears, and one that records every event a host reports.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.FreePorts}: a free loopback port for
 * an application (or a reverse proxy in front of it) whose port must be known before it
 * starts.</li>
 * </ul>
 */
package io.github.cancellablesoap.testsupport;
