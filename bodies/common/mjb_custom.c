/* mjb_custom.c -- reading MJCF <custom> fields by name. */
#include "mjb.h"

#include <string.h>

/* Linear search: models carry a handful of custom fields. Create phase. */
const char *mjb_custom_text(const mjModel *m, const char *name) {
    for (int i = 0; i < m->ntext; i++)
        if (strcmp(m->names + m->name_textadr[i], name) == 0) return m->text_data + m->text_adr[i];
    return NULL;
}

/* Copies at most cap values. Create phase. */
int mjb_custom_numeric(const mjModel *m, const char *name, double *out, int cap) {
    for (int i = 0; i < m->nnumeric; i++) {
        if (strcmp(m->names + m->name_numericadr[i], name) != 0) continue;
        int n = m->numeric_size[i];
        for (int k = 0; k < n && k < cap; k++) out[k] = m->numeric_data[m->numeric_adr[i] + k];
        return n;
    }
    return -1;
}
