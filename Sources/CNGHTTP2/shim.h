// nghttp2 (libnghttp2-dev): the name/value pair struct is built with macros in C.
#ifndef PHX_CNGHTTP2_SHIM_H
#define PHX_CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

static inline nghttp2_nv phx_nghttp2_nv(uint8_t *name, size_t namelen, uint8_t *value, size_t valuelen, uint8_t flags) {
    nghttp2_nv nv = { name, value, namelen, valuelen, flags };
    return nv;
}

#endif
