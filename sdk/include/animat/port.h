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

/* Extension "animat.ports/1" (ABI 1.3), asked of body and circuit instances
 * through their `extension` query: what a port's values mean -- bounds,
 * element names, units -- so that the host can check actions and show them
 * (`animat plugins info`), and embedding code (Python, Gymnasium spaces) can
 * build observation and action spaces. A port the extension says nothing
 * about (or an instance without it) is unbounded, its elements unnamed.
 *
 * The host reads every record once, right after create (with the ports),
 * and refuses the instance, naming the port, when a record is malformed:
 * reserved not 0, a bound NaN, lower > upper, an element name missing or
 * not [a-z0-9_.\[\]]+, or two element names alike.
 *
 * The host's rule for bodies' IN ports (actions) with a finite bound: each
 * control step, after the circuits stepped and before the body's step, it
 * clips every action element into [lower, upper] (in a buffer of its own,
 * so the circuit's output is never changed) and counts the clipped values;
 * `animat run` reports the count per port after the run. NaN actions stay
 * an error (the circuit's output check). OUT ports and circuits' IN ports
 * are documented, not enforced. */
#define ANIMAT_EXT_PORTS "animat.ports/1"

/* The values of one port. Instance-owned, valid until destroy. */
typedef struct animat_port_values {
    uint32_t struct_size; /* sizeof(animat_port_values) */
    uint32_t reserved;    /* 0 */
    /* Bounds of every element: lower <= upper, -INFINITY / INFINITY when
     * unbounded on that side. Overridden element by element by lowers /
     * uppers when those are not NULL. */
    double lower;
    double upper;
    const double *lowers; /* NULL, or `size` per-element lower bounds */
    const double *uppers; /* NULL, or `size` per-element upper bounds */
    /* NULL (the host calls element i "NAME[i]"), or `size` element names,
     * [a-z0-9_.\[\]]+, unique within the port ("joint_0", "x"). */
    const char *const *names;
    /* NULL (every element has the port's `unit`), or `size` SI units
     * ("" where none). */
    const char *const *units;
} animat_port_values;

typedef struct animat_ports_ext {
    uint32_t struct_size; /* sizeof(animat_ports_ext) */
    uint32_t reserved;    /* 0 */
    /* The values of port i (the order `ports` lists them) in direction dir:
     * an instance-owned record valid until destroy, or NULL when nothing is
     * declared for it. Any phase after create, the instance's thread.
     * Required. */
    const animat_port_values *(*values)(void *self, uint32_t dir, uint32_t i);
} animat_ports_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_PORT_H */
