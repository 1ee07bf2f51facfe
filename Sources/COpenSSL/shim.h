// OpenSSL 3 (libssl-dev): many setters are macros over SSL_CTX_ctrl, so Swift needs typed wrappers.
#ifndef PHX_COPENSSL_SHIM_H
#define PHX_COPENSSL_SHIM_H

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static inline int phx_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int phx_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
static inline int phx_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
static inline long phx_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline int phx_evp_ctrl_gcm_set_ivlen(EVP_CIPHER_CTX *ctx, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, length, NULL);
}
static inline int phx_evp_ctrl_gcm_get_tag(EVP_CIPHER_CTX *ctx, int length, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}
static inline int phx_evp_ctrl_gcm_set_tag(EVP_CIPHER_CTX *ctx, int length, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, tag);
}

// HKDF-SHA256 (RFC 5869) through EVP_KDF. The OSSL_PARAM names are string-literal macros that
// OSSL_PARAM keeps pointers to until EVP_KDF_derive returns; Swift's temporary C strings would
// dangle, so the parameter array is built here. Empty salt/info are left out (RFC 5869 §2.2:
// no salt means HashLen zero bytes). `key` must not be NULL even when `key_len` is 0.
static inline int phx_kdf_derive_hkdf_sha256(EVP_KDF_CTX *ctx,
                                             const unsigned char *key, size_t key_len,
                                             const unsigned char *salt, size_t salt_len,
                                             const unsigned char *info, size_t info_len,
                                             unsigned char *out, size_t out_len) {
    OSSL_PARAM params[5];
    size_t count = 0;
    params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, key_len);
    if (salt_len > 0) {
        params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    }
    if (info_len > 0) {
        params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len);
    }
    params[count] = OSSL_PARAM_construct_end();
    return EVP_KDF_derive(ctx, out, out_len, params);
}

// TLS server contexts: SNI and the ECDHE groups are set through SSL_CTX_ctrl/callback_ctrl macros.
typedef int (*phx_servername_callback)(SSL *ssl, int *alert, void *arg);
static inline long phx_ssl_ctx_set_servername_callback(SSL_CTX *ctx, phx_servername_callback callback) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, callback);
}
static inline long phx_ssl_ctx_set_servername_arg(SSL_CTX *ctx, void *arg) {
    return SSL_CTX_set_tlsext_servername_arg(ctx, arg);
}
static inline int phx_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}
static inline long phx_ssl_set_mode(SSL *ssl, long mode) { return SSL_set_mode(ssl, mode); }

// A certificate's DNS names (subjectAltName), for choosing it by SNI: the stack accessors are
// macros over OPENSSL_sk_*.
static inline GENERAL_NAMES *phx_x509_subject_alt_names(const X509 *certificate) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
}
static inline int phx_general_names_count(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline const ASN1_IA5STRING *phx_general_name_dns(const GENERAL_NAMES *names, int index) {
    const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, index);
    return name->type == GEN_DNS ? name->d.dNSName : NULL;
}
static inline void phx_general_names_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }

// SSL_OP_* are built by a function-like macro (SSL_OP_BIT), which Swift does not import.
static const uint64_t phx_ssl_op_no_renegotiation = SSL_OP_NO_RENEGOTIATION;
static const uint64_t phx_ssl_op_no_compression = SSL_OP_NO_COMPRESSION;

// Our socket BIO (PhoenixTLS): the retry flags and read-ahead are macros.
static inline void phx_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void phx_bio_set_retry_write(BIO *bio) { BIO_set_retry_write(bio); }
static inline void phx_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }
static inline void phx_ssl_ctx_set_read_ahead(SSL_CTX *ctx, int yes) { SSL_CTX_set_read_ahead(ctx, yes); }

#endif
