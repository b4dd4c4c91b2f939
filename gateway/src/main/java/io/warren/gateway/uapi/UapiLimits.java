package io.warren.gateway.uapi;

/**
 * Bounds on what one client may send.
 *
 * @param maxLineBytes the longest request line (without {@code \n}); longer answers
 *     {@code errno=-90} and closes. wireguard-go's scanner allows 64 KiB.
 * @param maxRequestBytes the largest {@code set} request, all lines counted; larger answers
 *     {@code errno=-90} and closes. 8 MiB holds tens of thousands of peers.
 */
public record UapiLimits(int maxLineBytes, int maxRequestBytes) {

    /** 64 KiB lines, 8 MiB requests. */
    public static final UapiLimits DEFAULT = new UapiLimits(64 * 1024, 8 * 1024 * 1024);

    public UapiLimits {
        if (maxLineBytes < 16 || maxRequestBytes < maxLineBytes) {
            throw new IllegalArgumentException("need 16 <= maxLineBytes <= maxRequestBytes");
        }
    }
}
