/**
 * GRE throughput harness: {@link io.warren.bench.gre.GreBench} runs iperf3 through Warren's L3
 * GRE and through Open vSwitch's userspace GRE on the same namespace topology, alternating, and
 * prints the ratio. Single-threaded driver; it owns every namespace and process it starts.
 */
package io.warren.bench.gre;
