/* mjcf_morph.c -- design parameters of the mjcf body: extension
 * "animat.morphology/1" (animat/morphology.h) over the geoms a model tags.
 *
 * A model tags geoms in its <custom> section:
 *   <text name="animat.design_geoms" data="GEOM GEOM ..."/>  one parameter each
 *   <numeric name="animat.design_range" data="LO HI"/>      factor bounds (default 0.5 2)
 * Parameter "GEOM.size" (dimensionless, default 1) scales that geom's size
 * (every size component, so a sphere's radius, a capsule's radius and
 * half-length, a box's half-sizes) and bounding radius about its own
 * centre: its contact and visual shape. Mass and inertia stay what MuJoCo's
 * compiler computed (MuJoCo 2.2.2 derives them only while compiling), and
 * so does the inertia-box fluid drag. Applied at the next reset; no
 * allocation after create, so a state load applies its saved design too.
 */
#include <stdio.h>
#include <string.h>

#include "mjcf.h"

#define MJCF_MORPH_MAX 64

struct mjcf_morph {
    uint32_t n;
    int geom[MJCF_MORPH_MAX];
    double size0[MJCF_MORPH_MAX][3], rbound0[MJCF_MORPH_MAX];
    animat_param_info info[MJCF_MORPH_MAX];
    char names[MJCF_MORPH_MAX][MJCF_NAME_MAX + 8];
    double want[MJCF_MORPH_MAX], have[MJCF_MORPH_MAX];
};

/* Parse one geom name from *s into g (at most cap-1 chars); 0 at the end. */
static int next_name(const char **s, char *g, size_t cap) {
    while (**s == ' ' || **s == '\t' || **s == '\n') (*s)++;
    size_t k = 0;
    while (**s && **s != ' ' && **s != '\t' && **s != '\n') {
        if (k + 1 < cap) g[k++] = **s;
        (*s)++;
    }
    g[k] = '\0';
    return k > 0;
}

/* Read the factor bounds; 0 or -1 with err. */
static int read_range(const mjModel *m, double *lo, double *hi, char *err, int errlen) {
    double r[2] = {0.5, 2};
    int n = mjb_custom_numeric(m, "animat.design_range", r, 2);
    if (n >= 0 && (n != 2 || !(r[0] > 0 && r[0] <= 1 && r[1] >= 1 && r[1] <= 100)))
        return snprintf(err, (size_t)errlen, "animat.design_range must be two numbers LO HI, 0 < LO <= 1 <= HI <= 100"),
               -1;
    *lo = r[0], *hi = r[1];
    return 0;
}

/* Fill parameter k for geom id g named `name`. */
static void add_geom(mjcf_morph *mo, const mjModel *m, int g, const char *name, double lo, double hi) {
    uint32_t k = mo->n++;
    mo->geom[k] = g;
    memcpy(mo->size0[k], m->geom_size + 3 * g, sizeof mo->size0[k]);
    mo->rbound0[k] = m->geom_rbound[g];
    snprintf(mo->names[k], sizeof mo->names[k], "%s.size", name);
    animat_param_info *p = &mo->info[k];
    p->struct_size = sizeof *p;
    p->type = ANIMAT_PARAM_REAL;
    p->name = mo->names[k];
    p->unit = "";
    p->def = 1, p->min = lo, p->max = hi;
    p->doc = "Size factor of a geom the model tags (animat.design_geoms): its shape, not its mass or inertia.";
    mo->want[k] = mo->have[k] = 1;
}

int mjcf_morph_init(mjcf_body *b, char *err, int errlen) {
    const char *list = mjb_custom_text(b->m, "animat.design_geoms");
    if (!list) return 0;
    double lo, hi;
    if (read_range(b->m, &lo, &hi, err, errlen)) return -1;
    if (!(b->morph = b->h->alloc(b->h, sizeof *b->morph)))
        return snprintf(err, (size_t)errlen, "out of memory"), -1;
    char g[MJCF_NAME_MAX];
    while (next_name(&list, g, sizeof g)) {
        int id = mj_name2id(b->m, mjOBJ_GEOM, g);
        if (id < 0) return snprintf(err, (size_t)errlen, "animat.design_geoms: no geom named '%s'", g), -1;
        for (uint32_t k = 0; k < b->morph->n; k++)
            if (b->morph->geom[k] == id)
                return snprintf(err, (size_t)errlen, "animat.design_geoms: '%s' named twice", g), -1;
        if (b->morph->n == MJCF_MORPH_MAX)
            return snprintf(err, (size_t)errlen, "animat.design_geoms: more than %d geoms", MJCF_MORPH_MAX), -1;
        add_geom(b->morph, b->m, id, g, lo, hi);
    }
    return 0;
}

void mjcf_morph_free(mjcf_body *b) { b->h->free(b->h, b->morph); }

/* Put design v into the model. */
static void put(mjcf_morph *mo, mjModel *m, const double *v) {
    for (uint32_t k = 0; k < mo->n; k++) {
        int g = mo->geom[k];
        for (int j = 0; j < 3; j++) m->geom_size[3 * g + j] = mo->size0[k][j] * v[k];
        m->geom_rbound[g] = mo->rbound0[k] * v[k];
        mo->have[k] = v[k];
    }
}

void mjcf_morph_apply(mjcf_body *b) {
    if (b->morph) put(b->morph, b->m, b->morph->want);
}

uint64_t mjcf_morph_state_size(const mjcf_body *b) { return b->morph ? b->morph->n * sizeof(double) : 0; }

void mjcf_morph_save(const mjcf_body *b, void *buf) {
    if (b->morph) memcpy(buf, b->morph->have, b->morph->n * sizeof(double));
}

void mjcf_morph_load(mjcf_body *b, const void *buf) {
    double v[MJCF_MORPH_MAX];
    if (!b->morph) return;
    memcpy(v, buf, b->morph->n * sizeof(double));
    put(b->morph, b->m, v);
}

static const animat_param_info *morph_info(void *self, uint32_t *n) {
    mjcf_body *b = self;
    *n = b->morph ? b->morph->n : 0;
    return b->morph ? b->morph->info : NULL;
}

static int32_t morph_get(void *self, double *v, uint32_t n) {
    mjcf_body *b = self;
    if (!b->morph || n != b->morph->n) {
        b->h->error(b->h, "mjcf: morphology get: %u values, this body has %u", n, b->morph ? b->morph->n : 0);
        return ANIMAT_ERROR;
    }
    memcpy(v, b->morph->want, n * sizeof *v);
    return ANIMAT_OK;
}

static int32_t morph_set(void *self, const double *v, uint32_t n) {
    mjcf_body *b = self;
    if (!b->morph || n != b->morph->n) {
        b->h->error(b->h, "mjcf: morphology set: %u values, this body has %u", n, b->morph ? b->morph->n : 0);
        return ANIMAT_ERROR;
    }
    for (uint32_t k = 0; k < n; k++)
        if (!(v[k] >= b->morph->info[k].min && v[k] <= b->morph->info[k].max)) {
            b->h->error(b->h, "mjcf: morphology set: %s = %g is outside [%g, %g]", b->morph->names[k], v[k],
                        b->morph->info[k].min, b->morph->info[k].max);
            return ANIMAT_ERROR;
        }
    memcpy(b->morph->want, v, n * sizeof *v);
    return ANIMAT_OK;
}

const animat_morphology_ext mjcf_morph_ext = {
    .struct_size = sizeof(animat_morphology_ext), .info = morph_info, .get = morph_get, .set = morph_set};

void mjcf_morph_describe(const mjcf_body *b, char *buf, size_t cap) {
    size_t at = 0;
    if (cap) buf[0] = '\0';
    for (uint32_t k = 0; b->morph && k < b->morph->n && at < cap; k++) {
        int w = snprintf(buf + at, cap - at, "%s%s=%.4g", k ? " " : "; design ", b->morph->names[k], b->morph->have[k]);
        if (w < 0) return;
        at += (size_t)w;
    }
}
