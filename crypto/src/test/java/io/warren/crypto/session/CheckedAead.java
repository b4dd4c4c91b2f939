package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TransportAead} that checks how it is used: never after {@link #destroy}, never by two
 * threads at once. Misuse is recorded (a native cipher would crash or corrupt there).
 */
final class CheckedAead extends TransportAead {
    private final TransportAead inner;
    private final Factory factory;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile boolean destroyed;

    private CheckedAead(TransportAead inner, Factory factory) {
        this.inner = inner;
        this.factory = factory;
    }

    /** Makes checked instances; remembers them by key for {@link #destroyedOf}. */
    static final class Factory implements TransportAeadFactory {
        private final AeadImplementation implementation;
        final List<CheckedAead> made = new CopyOnWriteArrayList<>();
        final AtomicInteger misuse = new AtomicInteger();

        Factory(AeadImplementation implementation) {
            this.implementation = implementation;
        }

        @Override
        public TransportAead create(byte[] key) {
            CheckedAead a = new CheckedAead(TransportAead.create(implementation, key), this);
            made.add(a);
            return a;
        }

        /** Instances destroyed so far. */
        int destroyed() {
            int n = 0;
            for (CheckedAead a : made) {
                if (a.destroyed) {
                    n++;
                }
            }
            return n;
        }

        void assertNoMisuse() {
            assertEquals(0, misuse.get(), "ciphers used after destroy or by two threads at once");
        }
    }

    private void enter() {
        if (destroyed || !inUse.compareAndSet(false, true)) {
            factory.misuse.incrementAndGet();
        }
    }

    private void exit() {
        inUse.set(false);
    }

    @Override
    public String implementationName() {
        return "checked-" + inner.implementationName();
    }

    @Override
    public void seal(long counter, ByteBuffer buf) {
        enter();
        try {
            inner.seal(counter, buf);
        } finally {
            exit();
        }
    }

    @Override
    public boolean open(long counter, ByteBuffer buf) {
        enter();
        try {
            return inner.open(counter, buf);
        } finally {
            exit();
        }
    }

    @Override
    public void destroy() {
        enter();
        destroyed = true;
        inner.destroy();
        exit();
    }

    @Override
    public void sealWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        inner.sealWith(nonce12, aad, buf);
    }

    @Override
    public boolean openWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        return inner.openWith(nonce12, aad, buf);
    }
}
