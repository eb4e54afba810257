/**
 * Benchmark programs, not tests: {@code ProxyCostBenchmark} (proxy calls next to plain
 * {@code WebServiceTemplate} calls at several payload sizes, with and without meters and
 * observations), {@code CallCostJmh} (JMH benchmarks of the per-call bookkeeping, with
 * {@code WholeCallJmh} here and {@code BookkeepingJmh} in the product's client package),
 * {@code ReleaseLatencyBenchmark} (how quickly abandon, abortCall and abort release
 * callers and close sockets), {@code PropagationBenchmark}, {@code ScaleBenchmark}, and
 * {@code GoalsBenchmark} (every performance goal in one run, one table, built from the
 * others' parts: {@code CostHarness}, {@code ScaleRig}). Most call a
 * {@code LoopbackServer}, answering or silent, and report through {@code BenchReport}.
 */
package io.github.cancellablesoap.benchmarks;
