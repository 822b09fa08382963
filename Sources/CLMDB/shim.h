#ifndef SHIXIANG_CLMDB_SHIM_H
#define SHIXIANG_CLMDB_SHIM_H
#include <lmdb.h>
#endif
