/**
 * Faults of real deployments, with Docker: the sample application (or a stalling server)
 * in a container and proxies in the test JVM, or the sample's client in a container and a
 * host in the test JVM; each fault asserts a bound and logs the time it measured.
 */
package io.github.cancellablesoap.faults;
