/* nwb_export.h -- an animat recording (record.h, animat-recording/1) as an
 * NWB 2.6.0 file (HDF5), the format DANDI, pynwb and MatNWB read; the
 * layout is in docs/recording.md ("NWB"). Episodes are laid end to end on
 * one session clock (each starts on the sample grid where the previous
 * one's samples end) and listed in intervals/trials.
 *
 * Written only through atomicfile (PATH.tmp renamed into place), and only
 * over nothing or over an NWB file animat itself wrote (its identifier
 * starts "animat-"): nwb_check_target says so before any work.
 * Thread: one; libhdf5 is used by nothing else meanwhile.
 */
#ifndef NWB_EXPORT_H
#define NWB_EXPORT_H

#include <stdint.h>

#include "base/errmsg.h"

#define NWB_VERSION "2.6.0"
#define NWB_ID_PREFIX "animat-"

/* Does `path` end in ".nwb" (any case)? 1 or 0. */
int nwb_is_path(const char *path);

/* May an export write `path`? Its folder must exist and nothing may be
 * there but a regular file that is an NWB file animat wrote (root
 * neurodata_type NWBFile, identifier "animat-..."), which is then replaced
 * atomically; and it is none of the n paths in others (atomicfile_check).
 * `what` names the option in the message ("-o", "--record"). 0, or -1
 * with e set to one line. */
int nwb_check_target(const char *path, const char *what, const char *const *others, uint32_t n, errmsg *e);

/* What an export wrote, for the caller's summary line. */
typedef struct nwb_stats {
    uint32_t series;   /* TimeSeries and SpatialSeries */
    uint64_t units;    /* rows of the Units table */
    uint64_t spikes;   /* spike times in it */
    uint64_t trials;   /* episodes */
} nwb_stats;

/* Write the recording at `h5` as NWB at `nwb`. session_start: ISO 8601
 * time of the session, or NULL for the recording file's modification time.
 * 0, or -1 with e set (nwb untouched). */
int nwb_export(const char *h5, const char *nwb, const char *session_start, nwb_stats *st, errmsg *e);

#endif
