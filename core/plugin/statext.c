/* statext.c -- see statext.h. */
#include "plugin/statext.h"

#include <stddef.h>

#include "plugin/callguard.h"

const animat_state_ext *statext_of(instance *in) {
    const animat_state_ext *x = instance_extension(in, ANIMAT_EXT_STATE);
    if (!x || x->struct_size < offsetof(animat_state_ext, load) + sizeof x->load || !x->size || !x->save || !x->load)
        return NULL;
    return x;
}

uint64_t statext_size(instance *in) {
    callguard_enter(in->name, in->plugin->desc->name, "state size");
    uint64_t n = statext_of(in)->size(in->self);
    callguard_leave();
    return n;
}

int statext_save(instance *in, void *buf, uint64_t size, errmsg *e) {
    hostctx_begin(&in->host);
    callguard_enter(in->name, in->plugin->desc->name, "state save");
    int32_t rc = statext_of(in)->save(in->self, buf, size);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail(in, "state save failed", e);
}

int statext_load(instance *in, const void *buf, uint64_t size, errmsg *e) {
    hostctx_begin(&in->host);
    callguard_enter(in->name, in->plugin->desc->name, "state load");
    int32_t rc = statext_of(in)->load(in->self, buf, size);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail(in, "state load failed", e);
}
