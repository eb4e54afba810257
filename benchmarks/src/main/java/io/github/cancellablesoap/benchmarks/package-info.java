/**
 * Two benchmark programs, not tests: {@code ProxyCostBenchmark} (a proxy call next to a
 * plain {@code WebServiceTemplate} call) and {@code ReleaseLatencyBenchmark} (how quickly
 * abandon, abortCall and abort release callers and close sockets). Both call one
 * {@code LoopbackServer}, answering or silent, and report through {@code BenchReport} and
 * {@code Samples}.
 */
package io.github.cancellablesoap.benchmarks;
