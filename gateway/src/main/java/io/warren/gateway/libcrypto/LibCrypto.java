package io.warren.gateway.libcrypto;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int64_t;

/**
 * The OpenSSL libcrypto calls of {@link LibcryptoTransportAead} (EVP interface, OpenSSL 1.1 and
 * 3.x; Debian's libssl3). Every pointer is a raw address ({@code long}) and every call has at most
 * five arguments: jnr-ffi 2.3.7 passes a garbage sixth argument on its fast path, so the
 * six-argument {@code EVP_CipherInit_ex} is replaced by {@code EVP_EncryptInit_ex} and
 * {@code EVP_DecryptInit_ex}. Errors are returned, never read from errno.
 */
public interface LibCrypto {
    /** {@code EVP_CTRL_AEAD_GET_TAG} (evp.h). */
    int EVP_CTRL_AEAD_GET_TAG = 0x10;
    /** {@code EVP_CTRL_AEAD_SET_TAG} (evp.h). */
    int EVP_CTRL_AEAD_SET_TAG = 0x11;

    @IgnoreError
    @u_int64_t long OpenSSL_version_num();

    @IgnoreError
    @intptr_t long EVP_chacha20_poly1305();

    @IgnoreError
    @intptr_t long EVP_CIPHER_CTX_new();

    @IgnoreError
    void EVP_CIPHER_CTX_free(@intptr_t long ctx);

    @IgnoreError
    int EVP_EncryptInit_ex(@intptr_t long ctx, @intptr_t long cipher, @intptr_t long engine,
            @intptr_t long key, @intptr_t long iv);

    @IgnoreError
    int EVP_DecryptInit_ex(@intptr_t long ctx, @intptr_t long cipher, @intptr_t long engine,
            @intptr_t long key, @intptr_t long iv);

    @IgnoreError
    int EVP_EncryptUpdate(@intptr_t long ctx, @intptr_t long out, @intptr_t long outl,
            @intptr_t long in, int inl);

    @IgnoreError
    int EVP_DecryptUpdate(@intptr_t long ctx, @intptr_t long out, @intptr_t long outl,
            @intptr_t long in, int inl);

    @IgnoreError
    int EVP_EncryptFinal_ex(@intptr_t long ctx, @intptr_t long out, @intptr_t long outl);

    @IgnoreError
    int EVP_DecryptFinal_ex(@intptr_t long ctx, @intptr_t long out, @intptr_t long outl);

    @IgnoreError
    int EVP_CIPHER_CTX_ctrl(@intptr_t long ctx, int type, int arg, @intptr_t long ptr);

    @IgnoreError
    void ERR_clear_error();
}
