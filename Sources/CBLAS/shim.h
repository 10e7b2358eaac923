#ifndef MLTRACK_CBLAS_SHIM_H
#define MLTRACK_CBLAS_SHIM_H
// OpenBLAS's CBLAS interface and LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>
#endif
