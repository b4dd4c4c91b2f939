/*
 * aeadbench: OpenSSL EVP ChaCha20-Poly1305 (RFC 8439 section 2.8) with exactly the per-packet call
 * sequences of Warren's LibcryptoTransportAead, natively, to split a packet's cost into OpenSSL's
 * own work and the Java binding's call overhead.
 *
 *   gcc -O2 -Wall -o aeadbench bench/src/main/c/aeadbench.c -lcrypto
 *   aeadbench [SIZE [SECONDS]]
 *
 * Prints one line per variant: name, CPU ns per packet, packets per CPU second (the thread's own
 * CPU time, so other processes on the box distort it less). Variants:
 *   seal4      init(nonce) + update + final + ctrl(GET_TAG)        (Warren's seal, 4 calls)
 *   open4      init(nonce) + ctrl(SET_TAG) + update + final        (Warren's open, 4 calls)
 *   open3      init_ex2(nonce, params{tag}) + update + final        (tag passed with the init)
 *   seal3p     init(nonce) + update + final + get_params{tag}       (tag via provider params)
 *   init       init(nonce) alone; ctrl_get: ctrl(GET_TAG) alone; update: update alone (no re-init,
 *              the keystream just runs on, as `openssl speed` measures); final: init+final on 0 bytes
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The thread's own CPU time: on a shared, loaded box wall-clock rates swing by 2-3x. */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char key[32], nonce[12], buf[65536 + 16], tag[16], sink[32];
static EVP_CIPHER_CTX *ectx, *dctx;
static int outl, size;
static unsigned char sealed[65536 + 16];
static OSSL_PARAM tagparams[2];

static void put_nonce(uint64_t counter) {
    memset(nonce, 0, 4);
    memcpy(nonce + 4, &counter, 8); /* little-endian machine */
}

static void die(const char *what) {
    fprintf(stderr, "aeadbench: %s failed\n", what);
    exit(1);
}

static void seal4(uint64_t n) {
    put_nonce(n);
    if (EVP_EncryptInit_ex(ectx, NULL, NULL, NULL, nonce) != 1
            || EVP_EncryptUpdate(ectx, buf, &outl, buf, size) != 1
            || EVP_EncryptFinal_ex(ectx, sink, &outl) != 1
            || EVP_CIPHER_CTX_ctrl(ectx, EVP_CTRL_AEAD_GET_TAG, 16, buf + size) != 1)
        die("seal4");
}

static void seal3p(uint64_t n) {
    put_nonce(n);
    tagparams[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, buf + size, 16);
    if (EVP_EncryptInit_ex(ectx, NULL, NULL, NULL, nonce) != 1
            || EVP_EncryptUpdate(ectx, buf, &outl, buf, size) != 1
            || EVP_EncryptFinal_ex(ectx, sink, &outl) != 1
            || EVP_CIPHER_CTX_get_params(ectx, tagparams) != 1)
        die("seal3p");
}

static void open4(uint64_t n) {
    (void) n;
    memcpy(buf, sealed, size + 16);
    put_nonce(0);
    if (EVP_DecryptInit_ex(dctx, NULL, NULL, NULL, nonce) != 1
            || EVP_CIPHER_CTX_ctrl(dctx, EVP_CTRL_AEAD_SET_TAG, 16, buf + size) != 1
            || EVP_DecryptUpdate(dctx, buf, &outl, buf, size) != 1
            || EVP_DecryptFinal_ex(dctx, sink, &outl) != 1)
        die("open4");
}

static void open3(uint64_t n) {
    (void) n;
    memcpy(buf, sealed, size + 16);
    put_nonce(0);
    tagparams[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, buf + size, 16);
    if (EVP_DecryptInit_ex2(dctx, NULL, NULL, nonce, tagparams) != 1
            || EVP_DecryptUpdate(dctx, buf, &outl, buf, size) != 1
            || EVP_DecryptFinal_ex(dctx, sink, &outl) != 1)
        die("open3");
}

static void init_only(uint64_t n) {
    put_nonce(n);
    if (EVP_EncryptInit_ex(ectx, NULL, NULL, NULL, nonce) != 1)
        die("init");
}

static void ctrl_get(uint64_t n) {
    (void) n;
    if (EVP_CIPHER_CTX_ctrl(ectx, EVP_CTRL_AEAD_GET_TAG, 16, tag) != 1)
        die("ctrl");
}

static void update_only(uint64_t n) {
    (void) n;
    if (EVP_EncryptUpdate(ectx, buf, &outl, buf, size) != 1)
        die("update");
}

static void init_final(uint64_t n) {
    put_nonce(n);
    if (EVP_EncryptInit_ex(ectx, NULL, NULL, NULL, nonce) != 1
            || EVP_EncryptFinal_ex(ectx, sink, &outl) != 1)
        die("init_final");
}

static void run(const char *name, void (*f)(uint64_t), double secs) {
    uint64_t n = 0;
    for (int i = 0; i < 20000; i++)
        f(n++);
    double start = now(), end = start + secs, t;
    uint64_t done = 0;
    do {
        for (int i = 0; i < 1000; i++)
            f(n++);
        done += 1000;
    } while ((t = now()) < end);
    double ns = (t - start) * 1e9 / done;
    printf("%-10s %8.1f CPU-ns/packet %10.0f packets/CPU-s\n", name, ns, 1e9 / ns);
    fflush(stdout);
}

int main(int argc, char **argv) {
    size = argc > 1 ? atoi(argv[1]) : 1420;
    double secs = argc > 2 ? atof(argv[2]) : 2;
    if (size < 0 || size > 65536)
        die("size");
    for (int i = 0; i < 32; i++)
        key[i] = 0x40 + i;
    for (int i = 0; i < size; i++)
        buf[i] = i;
    tagparams[1] = OSSL_PARAM_construct_end();
    ectx = EVP_CIPHER_CTX_new();
    dctx = EVP_CIPHER_CTX_new();
    put_nonce(0);
    if (EVP_EncryptInit_ex(ectx, EVP_chacha20_poly1305(), NULL, key, nonce) != 1
            || EVP_DecryptInit_ex(dctx, EVP_chacha20_poly1305(), NULL, key, nonce) != 1)
        die("setup");
    seal4(0);
    memcpy(sealed, buf, size + 16);
    open4(0);
    open3(0);
    seal3p(0);
    if (memcmp(buf, sealed, size + 16) != 0)
        die("seal3p check");
    open4(0);
    for (int i = 0; i < size; i++)
        if (buf[i] != (unsigned char) i)
            die("round trip");
    const char *only = getenv("AEADBENCH_ONLY");
    struct { const char *name; void (*f)(uint64_t); } v[] = {
        {"seal4", seal4}, {"open4", open4}, {"open3", open3}, {"seal3p", seal3p},
        {"init", init_only}, {"ctrl_get", ctrl_get}, {"update", update_only}, {"init_final", init_final},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (only == NULL || strstr(only, v[i].name) != NULL)
            run(v[i].name, v[i].f, secs);
    EVP_CIPHER_CTX_free(ectx);
    EVP_CIPHER_CTX_free(dctx);
    return 0;
}
