#include "sim/fingerprint.h" // the wall test: only targets linking sim may include this
