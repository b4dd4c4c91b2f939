/**
 * TUN packet-rate benchmark (not a test; not run by CI): {@link io.warren.bench.tun.TunBench}
 * measures packets/s of TUN reads and writes from Java ({@link io.warren.tun.LinuxTunDevice}) and
 * from a C program ({@code bench/src/main/c/tunbench.c}, compiled with gcc at run time) by one
 * method, inside a network namespace it creates and deletes.
 *
 * <p>Threading: each measurement is a separate process pinned to CPU 0 ({@code taskset}); the kernel
 * UDP sender feeding reads is pinned to CPU 1. Buffers: each worker owns one direct buffer.
 */
package io.warren.bench.tun;
