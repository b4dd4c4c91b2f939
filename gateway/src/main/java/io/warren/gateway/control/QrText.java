package io.warren.gateway.control;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code for a terminal, two modules per character cell with UTF-8 half blocks (as
 * {@code qrencode -t UTF8}): light modules are drawn, so it scans on the usual dark terminal, with
 * a quiet zone of {@value #QUIET} modules. The code itself comes from the qrcodegen library.
 */
public final class QrText {
    static final int QUIET = 2;
    private static final char FULL = '\u2588';
    private static final char UPPER = '\u2580';
    private static final char LOWER = '\u2584';

    private QrText() {
    }

    /** The QR code of {@code text} (error correction L: a config is long). */
    public static String render(String text) {
        return render(QrCode.encodeText(text, QrCode.Ecc.LOW));
    }

    static String render(QrCode qr) {
        int size = qr.size;
        StringBuilder sb = new StringBuilder();
        for (int y = -QUIET; y < size + QUIET; y += 2) {
            for (int x = -QUIET; x < size + QUIET; x++) {
                boolean top = light(qr, x, y);
                boolean bottom = light(qr, x, y + 1);
                sb.append(top && bottom ? FULL : top ? UPPER : bottom ? LOWER : ' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Outside the symbol (quiet zone, and the half row below an odd size) counts as light. */
    private static boolean light(QrCode qr, int x, int y) {
        return !qr.getModule(x, y);
    }
}
