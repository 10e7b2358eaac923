#ifndef MLTRACK_CCOMPRESSION_SHIM_H
#define MLTRACK_CCOMPRESSION_SHIM_H
// Codecs used by Parquet pages and Delta files (Debian: libsnappy-dev, libzstd-dev, zlib1g-dev,
// liblz4-dev, libbrotli-dev).
#include <snappy-c.h>
#include <zstd.h>
#include <zlib.h>
#include <lz4.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#endif
