// libcurl (libcurl4-openssl-dev): curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are
// variadic, so each argument type gets its own typed wrapper.
#ifndef PHX_CCURL_SHIM_H
#define PHX_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode phx_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode phx_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode phx_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode phx_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode phx_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode phx_curl_easy_setopt_write_callback(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode phx_curl_easy_setopt_read_callback(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}
static inline CURLcode phx_curl_easy_setopt_header_callback(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode phx_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode phx_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLcode phx_curl_easy_setopt_seek_callback(CURL *handle, curl_seek_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, callback);
}
static inline CURLcode phx_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode phx_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
// The CURLMsg union member for CURLMSG_DONE, so Swift does not poke at the anonymous union.
static inline CURLcode phx_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}
// curl_easy_pause masks and callback return codes (function-like or composed macros that Swift
// does not import).
enum {
    PHX_CURLPAUSE_RECV = CURLPAUSE_RECV,
    PHX_CURLPAUSE_SEND = CURLPAUSE_SEND,
    PHX_CURLPAUSE_CONT = CURLPAUSE_CONT,
    PHX_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE,
    PHX_CURL_READFUNC_PAUSE = CURL_READFUNC_PAUSE,
    PHX_CURL_READFUNC_ABORT = CURL_READFUNC_ABORT,
    PHX_CURL_SEEKFUNC_OK = CURL_SEEKFUNC_OK,
    PHX_CURL_SEEKFUNC_CANTSEEK = CURL_SEEKFUNC_CANTSEEK,
};

#endif
