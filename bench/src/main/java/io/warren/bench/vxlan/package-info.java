/**
 * VXLAN throughput harness ({@link io.warren.bench.vxlan.VxlanBench}): iperf3 through Warren's VTEP
 * and through the kernel's on the same namespace topology. Single-threaded orchestration; every
 * namespace and process it creates is removed at the end.
 */
package io.warren.bench.vxlan;
