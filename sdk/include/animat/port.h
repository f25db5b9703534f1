/* animat/port.h -- named, sized float64 vectors that the host wires together.
 *
 * Each plugin instance lists its ports after create (sizes may depend on its
 * parameters). Direction is seen from the plugin: an IN port is read by the
 * plugin (body actions, circuit inputs), an OUT port is written by it (body
 * observations, circuit outputs). In experiment files a body's ports are named
 * `body.obs.NAME` (OUT) and `body.act.NAME` (IN); a circuit's are
 * `circuit.in.NAME` and `circuit.out.NAME`.
 *
 * Buffers: for every call that moves data, the host passes one pointer per
 * port, in the order the ports were listed. The host owns every buffer; each
 * holds exactly `size` doubles and stays valid for the duration of the call.
 * An IN buffer of an unconnected port is all zeros.
 */
#ifndef ANIMAT_PORT_H
#define ANIMAT_PORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMAT_PORT_IN 0u  /* read by the plugin */
#define ANIMAT_PORT_OUT 1u /* written by the plugin */

/* Port flags (animat_port_info.flags). */
#define ANIMAT_PORT_METRIC 0x1u /* OUT port whose per-step values the host
                                   averages over each episode and reports
                                   (e.g. a body's forward speed) */

typedef struct animat_port_info {
    uint32_t struct_size; /* sizeof(animat_port_info) */
    uint32_t size;        /* number of doubles, at least 1 */
    uint32_t flags;       /* ANIMAT_PORT_* flags or 0 */
    uint32_t reserved;    /* 0 */
    const char *name;     /* required; [a-z0-9_]+, unique per direction */
    const char *unit;     /* SI unit or "" */
    const char *doc;      /* required; one sentence */
} animat_port_info;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_PORT_H */
