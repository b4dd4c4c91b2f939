package io.warren.crypto.primitives;

import java.util.List;

/**
 * The low-order Curve25519 points of RFC 7748 §6.1 as the kernel and libsodium
 * ({@code has_small_order}) list them, hex, little-endian; each also with bit 255 set.
 */
public final class LowOrderPoints {
    /** 0, 1, the two points of order 8, p-1, p, p+1. */
    public static final List<String> HEX = List.of(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    private LowOrderPoints() {
    }
}
