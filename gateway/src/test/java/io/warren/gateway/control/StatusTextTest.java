package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nayuki.qrcodegen.QrCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    @Test
    void rendersLikeWgShow() {
        StatusReport r = new StatusReport(1000, List.of(new StatusReport.Interface("wg0", "SRVPUB", 51820,
                List.of("10.77.0.1/24"), List.of(
                        new StatusReport.Peer("alice", "ALICEPUB", "192.0.2.7:4500", "direct", 994, 6,
                                1_258_291, 3_565_158, List.of("10.77.0.2/32"), 25),
                        new StatusReport.Peer(null, "NONAME", null, "direct", 0, -1, 0, 0, List.of(), 0)),
                Map.of("outbound_no_peer", 3L))),
                List.of(new StatusReport.Tunnel("gre1", "gre", "configured")),
                List.of(new StatusReport.Route("192.168.9.0/24", "tunnel:gre1", 100)), List.of());
        assertEquals("interface: wg0\n"
                + "  public key: SRVPUB\n"
                + "  listening port: 51820\n"
                + "  addresses: 10.77.0.1/24\n"
                + "  drops: outbound_no_peer 3\n"
                + "\n"
                + "peer: alice (ALICEPUB)\n"
                + "  endpoint: 192.0.2.7:4500\n"
                + "  path: direct\n"
                + "  allowed ips: 10.77.0.2/32\n"
                + "  latest handshake: 6 seconds ago\n"
                + "  transfer: 1.20 MiB received, 3.40 MiB sent\n"
                + "  persistent keepalive: every 25 seconds\n"
                + "\n"
                + "peer: NONAME\n"
                + "  path: direct\n"
                + "  allowed ips: (none)\n"
                + "\n"
                + "tunnels:\n"
                + "  gre1  gre  configured\n"
                + "\n"
                + "routes:\n"
                + "  192.168.9.0/24 via tunnel:gre1 metric 100\n", StatusText.render(r));
    }

    @Test
    void agesAndSizesAsWgPrintsThem() {
        assertEquals("Now", StatusText.ago(0));
        assertEquals("1 second ago", StatusText.ago(1));
        assertEquals("1 minute, 6 seconds ago", StatusText.ago(66));
        assertEquals("2 days, 1 hour ago", StatusText.ago(2 * 86400 + 3600));
        assertEquals("1 year, 1 second ago", StatusText.ago(365L * 86400 + 1));
        assertEquals("1023 B", StatusText.bytes(1023));
        assertEquals("1.00 KiB", StatusText.bytes(1024));
        assertEquals("1.50 GiB", StatusText.bytes(1024L * 1024 * 1024 * 3 / 2));
    }

    @Test
    void qrHalfBlocksMapBackToTheModules() {
        String text = "[Interface]\nPrivateKey = x\n";
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.LOW);
        List<String> rows = QrText.render(text).lines().toList();
        int width = qr.size + 2 * QrText.QUIET;
        assertEquals((width + 1) / 2, rows.size());
        for (int row = 0; row < rows.size(); row++) {
            assertEquals(width, rows.get(row).length());
            for (int col = 0; col < width; col++) {
                char ch = rows.get(row).charAt(col);
                boolean topLight = ch == '\u2588' || ch == '\u2580';
                boolean bottomLight = ch == '\u2588' || ch == '\u2584';
                int x = col - QrText.QUIET;
                int y = 2 * row - QrText.QUIET;
                assertEquals(!qr.getModule(x, y), topLight, "module " + x + "," + y);
                assertEquals(!qr.getModule(x, y + 1), bottomLight, "module " + x + "," + (y + 1));
            }
        }
    }
}
