/* pngstat.c -- see pngstat.h. */
#include "pngstat.h"

#include <cairo.h>
#include <check.h>
#include <stddef.h>
#include <stdint.h>

double png_variance(const char *path, int *w, int *h) {
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    ck_assert_msg(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s does not decode", path);
    *w = cairo_image_surface_get_width(s), *h = cairo_image_surface_get_height(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    double sum = 0, sq = 0, n = (double)*w * *h;
    for (int y = 0; y < *h; y++)
        for (int x = 0; x < *w; x++) {
            uint32_t v = ((const uint32_t *)(const void *)(px + (size_t)y * stride))[x];
            double g = ((v >> 16 & 255) + (v >> 8 & 255) + (v & 255)) / 3.0;
            sum += g, sq += g * g;
        }
    cairo_surface_destroy(s);
    return sq / n - (sum / n) * (sum / n);
}
