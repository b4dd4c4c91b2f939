package io.warren.bench.crypto;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.session.Handshaker;
import io.warren.crypto.session.NoiseHandshaker;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete Noise_IKpsk2 handshakes per second on one core, both sides' work (WireGuard whitepaper
 * §5.4.2–§5.4.5: initiation created with macs and consumed, response created and consumed,
 * transport keys derived on both sides), through the {@link NoiseHandshaker} port the data path
 * uses. Each operation advances the fake clocks so the flood and TAI64N replay rules pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
    private Handshaker initiator;
    private Handshaker responder;
    private long now = 1_000_000_000L;
    private long wall = 1_700_000_000_000_000_000L;
    private int index = 0x0100_0000;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        StaticIdentity a = new StaticIdentity(NoisePrivateKey.generate(random));
        StaticIdentity b = new StaticIdentity(NoisePrivateKey.generate(random));
        PresharedKey psk = PresharedKey.generate(random);
        initiator = new NoiseHandshaker(a, b.publicKey(), psk, random);
        responder = new NoiseHandshaker(b, a.publicKey(), psk, random);
    }

    @Benchmark
    public Object handshake() {
        now += 5_000_000_001L;
        wall += 5_000_000_001L;
        ByteBuffer initiation = initiator.createInitiation(index++, now, wall);
        Handshaker.Outcome responded = responder.consume(initiation, index++, now);
        if (!(responded instanceof Handshaker.Established established)) {
            throw new IllegalStateException("handshake failed: " + responded);
        }
        Handshaker.Outcome done = initiator.consume(established.response(), 0, now);
        if (!(done instanceof Handshaker.Established)) {
            throw new IllegalStateException("response rejected: " + done);
        }
        return done;
    }
}
