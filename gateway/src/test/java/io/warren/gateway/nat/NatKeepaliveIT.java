package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.transport.WgPeer;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NatBox;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stock wireguard-go peer behind an nft masquerade NAT whose UDP mappings expire after 2-3 s;
 * Warren on the public side knows the peer only from its first packets (no configured endpoint).
 * Without keepalive the mapping expires and Warren can no longer reach the peer; with persistent
 * keepalive from either side the mapping stays and traffic keeps flowing.
 */
class NatKeepaliveIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longer than both conntrack timeouts (2 s, 3 s), shorter than wireguard-go's 10 s passive keepalive. */
    private static final long IDLE_MILLIS = 4_500;

    private Transports transports;
    private RunningInterface warren;
    private Netns warrenNs;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("wireguard-go", "wg", "ping", "nft", "sysctl");
        transports = Transports.create(1);
    }

    @AfterEach
    void stop() {
        if (warren != null) {
            warrenNs.run(warren::close);
        }
        transports.close();
    }

    private record Setup(Netns pub, Netns home, WgPeer peer) {
    }

    private Setup setup(int warrenKeepalive, int stockKeepalive) throws Exception {
        Netns pub = lab.netns("kp");
        Netns home = lab.netns("kh");
        NatBox nat = lab.natBox("kn", home, "10.1.0.0/24", pub, "10.2.0.0/24", false);
        NatLabSupport.shortUdpTimeouts(nat.ns());
        NoisePrivateKey warrenKey = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey stockKey = NoisePrivateKey.generate(RANDOM);
        String stockIf = lab.uniqueName("kb");
        NatLabSupport.stockPeer(lab, home, stockIf, stockKey, "10.60.0.2/24");
        home.exec("wg", "set", stockIf, "peer", warrenKey.publicKey().toBase64(), "allowed-ips", "10.60.0.1/32",
                "endpoint", nat.outsideAddress() + ":51820");
        String warrenIf = lab.uniqueName("ka");
        WarrenConfig config = NatLabSupport.parse(lab, warrenIf, NatLabSupport.iface(warrenIf, warrenKey, 51820,
                "10.60.0.1/24", new NatLabSupport.PeerText(stockKey, null, warrenKeepalive, false, "10.60.0.2/32")));
        warrenNs = pub;
        warren = pub.call(() -> RunningInterface.open(config.interfaces().get(warrenIf), transports));
        // The peer speaks first: Warren learns the NAT's mapping (port kept by plain masquerade).
        ExecResult first = home.execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.60.0.1");
        assertEquals(0, NatLabSupport.lossPercent(first), first.stdout());
        WgPeer peer = warren.wireGuard().peers().get(0);
        assertEquals(new InetSocketAddress(nat.publicAddress(), 51820), peer.endpoint());
        if (stockKeepalive > 0) { // set only now: set earlier, wireguard-go handshakes before Warren listens
            home.exec("wg", "set", stockIf, "peer", warrenKey.publicKey().toBase64(), "persistent-keepalive",
                    Integer.toString(stockKeepalive));
        }
        return new Setup(pub, home, peer);
    }

    @Test
    void withoutKeepaliveTheMappingExpiresAndThePeerIsUnreachable() throws Exception {
        Setup s = setup(0, 0);
        Thread.sleep(IDLE_MILLIS);
        long rxBefore = s.peer().rxPackets();
        ExecResult ping = s.pub().execAllowFail("ping", "-c", "3", "-i", "0.5", "-W", "1", "10.60.0.2");
        assertEquals(100, NatLabSupport.lossPercent(ping), "the NAT dropped the mapping: " + ping.stdout());
        assertEquals(rxBefore, s.peer().rxPackets());
    }

    @Test
    void warrenKeepaliveKeepsTheMappingOpen() throws Exception {
        Setup s = setup(1, 0);
        Thread.sleep(IDLE_MILLIS);
        ExecResult ping = s.pub().execAllowFail("ping", "-c", "3", "-i", "0.5", "-W", "1", "10.60.0.2");
        assertEquals(0, NatLabSupport.lossPercent(ping), ping.stdout());
    }

    @Test
    void peerKeepaliveKeepsTheMappingOpen() throws Exception {
        Setup s = setup(0, 1);
        Thread.sleep(IDLE_MILLIS);
        long rx = s.peer().rxBytes();
        ExecResult ping = s.pub().execAllowFail("ping", "-c", "3", "-i", "0.5", "-W", "1", "10.60.0.2");
        assertEquals(0, NatLabSupport.lossPercent(ping), ping.stdout());
        assertTrue(s.peer().rxBytes() > rx);
    }
}
