/* animat/animat.h -- the whole public plugin ABI in one include.
 * Start with abi.h (versioning and the entry point), then host.h (services a
 * plugin may call), then the header for the kind you write: body.h,
 * circuit.h or learner.h. */
#ifndef ANIMAT_ANIMAT_H
#define ANIMAT_ANIMAT_H
#include "abi.h"
#include "body.h"
#include "circuit.h"
#include "host.h"
#include "learner.h"
#include "morphology.h"
#include "param.h"
#include "port.h"
#include "spikes.h"
#include "state.h"
#endif /* ANIMAT_ANIMAT_H */
