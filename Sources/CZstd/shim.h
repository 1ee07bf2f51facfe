// zstd (libzstd-dev): streaming compression; `ZSTD_isError` is a function, the rest are plain calls.
#ifndef PHX_CZSTD_SHIM_H
#define PHX_CZSTD_SHIM_H

#include <zstd.h>

static inline size_t phx_zstd_content_size_error(void) { return (size_t)ZSTD_CONTENTSIZE_ERROR; }

#endif
