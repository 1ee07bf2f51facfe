// libpq (libpq-dev): every function we need is a plain C function; the header is all we shim.
#ifndef PHX_CLIBPQ_SHIM_H
#define PHX_CLIBPQ_SHIM_H

#include <libpq-fe.h>

// `PQnoticeProcessor` casts are awkward from Swift: one typed setter.
static inline PQnoticeProcessor phx_pq_set_notice_processor(PGconn *conn, PQnoticeProcessor processor, void *arg) {
    return PQsetNoticeProcessor(conn, processor, arg);
}

#endif
