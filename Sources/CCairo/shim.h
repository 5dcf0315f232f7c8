#ifndef GANLAB_CCAIRO_SHIM_H
#define GANLAB_CCAIRO_SHIM_H
#include <cairo.h>
#endif
