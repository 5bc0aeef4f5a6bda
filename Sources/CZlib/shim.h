#ifndef QMPLINT_CZLIB_SHIM_H
#define QMPLINT_CZLIB_SHIM_H
#include <zlib.h>
#endif
