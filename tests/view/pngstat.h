/* pngstat.h -- is a PNG a picture? Decoded with cairo, for the view suite. */
#ifndef PNGSTAT_H
#define PNGSTAT_H

/* Variance of the grey levels of the PNG at `path` (0 for a blank image);
 * its size in *w, *h. Fails the running Check test if it does not decode. */
double png_variance(const char *path, int *w, int *h);

#endif
