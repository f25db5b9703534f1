/* nwbread.h -- read back an NWB file that animat wrote (sim/nwb_export.h)
 * as an animat recording, so that `animat plot run.nwb ...` and the other
 * readers of h5read.h work on it: the series become /signals/NAME again
 * (split into episodes by intervals/trials), the Units table /spikes/NAME
 * per circuit, the trials /episodes, general/source_script the experiment.
 * The recording is built in memory (HDF5's core driver, nothing written).
 * NWB files from other writers are refused: their layout is not animat's.
 */
#ifndef NWBREAD_H
#define NWBREAD_H

#include <hdf5.h>

#include "base/errmsg.h"

/* Is the open file an NWB file (root neurodata_type NWBFile)? 1 or 0. */
int nwbread_is_nwb(hid_t f);

/* The recording held in the NWB file `nwb` (opened from `path`), as an
 * in-memory HDF5 file in animat-recording/1 layout; close it with
 * H5Fclose. -1 with e set ("PATH: not an NWB file animat wrote", a part
 * missing or malformed). */
hid_t nwbread_recording(hid_t nwb, const char *path, errmsg *e);

#endif
