/**
 * Test support for the peers of a cancellable call: one scripted HTTP server, raw
 * sockets, and probes of the kernel's and the JVM's view of sockets and threads.
 * <p>
 * What is here, and why it is not a library:
 * <ul>
 * <li>{@link io.github.cancellablesoap.testsupport.ScriptedHttpServer} with its
 * {@link io.github.cancellablesoap.testsupport.Behaviour behaviours} and
 * {@link io.github.cancellablesoap.testsupport.ServerConnection connections}: the one
 * server for tests of HTTP clients, both for well-behaved answers, stalls and holds, and
 * for hostile responses written byte by byte
 * ({@link io.github.cancellablesoap.testsupport.Behaviour#script Behaviour.script}: gzip
 * bombs, header floods, endless bodies). The point of most cancellation tests is to see,
 * from the server side, that the client closed its socket, and when: a connection thread
 * blocks reading its socket while it hangs, stalls or holds a response, and records end
 * of stream or a reset as "closed by the peer" with its time. OkHttp's
 * {@code mockwebserver3} was weighed and not taken: it reports requests, not the moment a
 * client closes a connection it is holding, its responses are built in memory (a
 * hundred-megabyte header line is a hundred megabytes of heap there, and malformed or
 * endless bytes cannot be expressed), and it is not a dependency of the build. Request
 * parsing is not hand-written: {@code HttpInput} wraps Apache HttpCore's server
 * connection, already on the test class path through the HTTP client.</li>
 * <li>{@code RawHttpClient} (self-tests only): requests written byte by byte (chunk
 * extensions, trailers, {@code Expect: 100-continue} then the body) and closes by reset,
 * which no HTTP client library lets a test do.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.TcpSockets},
 * {@link io.github.cancellablesoap.testsupport.TcpSocket},
 * {@link io.github.cancellablesoap.testsupport.SharedSourcePortSockets} and
 * {@link io.github.cancellablesoap.testsupport.HangingConnectTarget}: the kernel's view
 * of this JVM's sockets (from {@code /proc/net/tcp}), two connections that share one
 * source port (only the full 4-tuple tells them apart) and a port whose connect hangs in
 * {@code SYN_SENT}, to prove that an abort closed sockets a server never answered and
 * that a detector tells callers apart; no library offers these.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.GzipBomb}: a valid gzip stream that
 * inflates to gigabytes from kilobytes of state; {@code java.util.zip} cannot produce it
 * without spending the gigabytes.</li>
 * <li>{@link io.github.cancellablesoap.testsupport.ThreadCounts}: live threads by name
 * prefix, to prove that servers and executors end their threads.</li>
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
