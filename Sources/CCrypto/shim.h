#ifndef SHIXIANG_CCRYPTO_SHIM_H
#define SHIXIANG_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
