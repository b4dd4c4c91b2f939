/**
 * Test doubles for the TUN layer, exported in the warren-tun test-jar for other modules' tests.
 *
 * <p>{@link io.warren.tun.testing.MemoryTunDevice} is an in-memory {@link io.warren.tun.TunDevice}:
 * tests inject packets for the code under test to read and collect what it writes; two devices can
 * be wired back to back with {@link io.warren.tun.testing.MemoryTunDevice#pair}. Threading: any
 * thread may inject, read, write or close; queues are bounded and blocking reads wake on close.
 * Buffers: packets are copied into and out of the queues, so callers keep ownership of their
 * buffers (heap or direct).
 */
package io.warren.tun.testing;
