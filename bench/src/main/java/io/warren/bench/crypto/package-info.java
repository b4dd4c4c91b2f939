/**
 * JMH benchmarks of the WireGuard data path ({@code io.warren.crypto.session}): transport AEAD
 * seal/open per implementation and packet size, and handshakes per second per core. Each
 * benchmark state is thread-confined ({@code Scope.Thread}); buffers are owned by the state.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main 'io.warren.bench.crypto.*' -f 1 -wi 3 -w 2s -i 3 -r 2s}.
 * On a shared, loaded box JMH's wall-clock scores swing by 2-3x; {@link io.warren.bench.crypto.AeadCpuTime}
 * times seal and open in thread CPU time instead, next to {@code bench/src/main/c/aeadbench.c}
 * (the same OpenSSL calls natively). {@link io.warren.bench.crypto.SealScaling} measures how sealing
 * for one peer scales from one thread to two, with the AEAD outside the interface's lock and inside it.
 */
package io.warren.bench.crypto;
