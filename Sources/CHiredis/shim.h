// hiredis 0.14 (libhiredis-dev): `redisCommand` is variadic; we only use `redisCommandArgv`,
// `redisAppendCommandArgv` and `redisGetReply`, which Swift can call directly.
#ifndef PHX_CHIREDIS_SHIM_H
#define PHX_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

// The reply's element array, typed, so Swift needs no pointer casts on `void *` replies.
static inline redisReply *phx_redis_reply_element(redisReply *reply, size_t index) {
    return reply->element[index];
}

// `redisCommandArgv` returns `void *`; in a blocking context it is always a `redisReply *` or NULL.
static inline redisReply *phx_redis_command_argv(
    redisContext *context, int argc, const char **argv, const size_t *argvlen) {
    return (redisReply *)redisCommandArgv(context, argc, argv, argvlen);
}

// `redisGetReply` with a typed out-parameter. Returns REDIS_OK or REDIS_ERR.
static inline int phx_redis_get_reply(redisContext *context, redisReply **reply) {
    void *raw = NULL;
    int status = redisGetReply(context, &raw);
    *reply = (redisReply *)raw;
    return status;
}

// The context's `char errstr[128]`, which Swift would otherwise import as a 128-element tuple.
static inline const char *phx_redis_context_errstr(const redisContext *context) {
    return context->errstr;
}

#endif
