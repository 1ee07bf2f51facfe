// hiredis 0.14 (libhiredis-dev): `redisCommand` is variadic; we only use `redisCommandArgv`,
// `redisAppendCommandArgv` and `redisGetReply`, which Swift can call directly.
#ifndef PHX_CHIREDIS_SHIM_H
#define PHX_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

// The reply's element array, typed, so Swift needs no pointer casts on `void *` replies.
static inline redisReply *phx_redis_reply_element(redisReply *reply, size_t index) {
    return reply->element[index];
}

#endif
