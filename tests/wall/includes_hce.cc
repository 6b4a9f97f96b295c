#include "hce/random_source.h" // the wall test: only targets linking hce may include this
