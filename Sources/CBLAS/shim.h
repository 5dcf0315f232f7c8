#ifndef GANLAB_CBLAS_SHIM_H
#define GANLAB_CBLAS_SHIM_H
#include <cblas.h>
#endif
