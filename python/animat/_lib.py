"""ctypes bindings of libanimat.so (sdk/include/animat/embed.h).

The library is found through ANIMAT_LIBRARY, else the build tree next to
this package (build/core/libanimat.so of the checkout), else the installed
libdir (the loader's search path). ctypes releases the GIL around every call.
"""
import ctypes
import os
import pathlib

EMBED_VERSION = 1

OK, EINPUT, ESTATE, EPLUGIN, ENOMEM, EUNSUPPORTED = range(6)
TERMINATED, TRUNCATED, RESET = 1, 2, 4


class Port(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("unit", ctypes.c_char_p), ("size", ctypes.c_uint32),
                ("lower", ctypes.POINTER(ctypes.c_double)), ("upper", ctypes.POINTER(ctypes.c_double)),
                ("values", ctypes.POINTER(ctypes.c_double))]


class RunOpts(ctypes.Structure):
    """animat_run_opts (embed.h); size is set by run_opts()."""
    _fields_ = [("size", ctypes.c_uint32), ("quiet", ctypes.c_int), ("episodes", ctypes.c_uint64),
                ("trace", ctypes.c_char_p), ("record", ctypes.c_char_p), ("command", ctypes.c_char_p),
                ("out", ctypes.c_void_p), ("progress", ctypes.c_void_p), ("state_out", ctypes.c_char_p),
                ("state_at", ctypes.c_uint64), ("state_in", ctypes.c_char_p), ("heldout", ctypes.c_int),
                ("returns", ctypes.POINTER(ctypes.c_double))]


def run_opts():
    """An animat_run_opts as ANIMAT_RUN_OPTS_INIT makes it."""
    o = RunOpts()
    o.size = ctypes.sizeof(RunOpts)
    return o


REC_MAX_RANK = 8
REC_OTHER, REC_F64, REC_I64, REC_U64, REC_TEXT = range(5)


class RecDataset(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32), ("rank", ctypes.c_uint32),
                ("dims", ctypes.c_uint64 * REC_MAX_RANK)]


class RecAttr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32), ("rank", ctypes.c_uint32),
                ("dims", ctypes.c_uint64 * REC_MAX_RANK), ("count", ctypes.c_uint64), ("values", ctypes.c_void_p)]


def _candidates():
    env = os.environ.get("ANIMAT_LIBRARY")
    if env:
        return [os.path.abspath(env)]
    here = pathlib.Path(__file__).resolve().parent
    found = []
    for build in sorted((here.parent.parent).glob("build*/core/libanimat.so")):
        found.append(str(build))
    try:  # an installed package: meson wrote the library's directory
        from ._installed import LIBDIR
        found.append(os.path.join(LIBDIR, "libanimat.so.1"))
    except ImportError:
        pass
    found.append("libanimat.so.1")
    return found


def _declare(lib):
    P = ctypes.c_void_p
    u32, u64, dbl = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_double
    dp = ctypes.POINTER(ctypes.c_double)
    sig = {
        "animat_embed_version": (u32, []),
        "animat_open": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.c_char_p), u32, ctypes.c_char_p,
                                       ctypes.c_char_p, ctypes.c_size_t]),
        "animat_close": (None, [P]),
        "animat_errmsg": (ctypes.c_char_p, [P]),
        "animat_seed": (u64, [P]), "animat_episodes": (u64, [P]), "animat_max_steps": (u64, [P]),
        "animat_instances": (u32, [P]),
        "animat_instance_name": (ctypes.c_char_p, [P, u32]),
        "animat_instance_plugin": (ctypes.c_char_p, [P, u32]),
        "animat_instance_kind": (u32, [P, u32]),
        "animat_ports": (u32, [P, u32, u32]),
        "animat_port": (ctypes.c_int, [P, u32, u32, u32, ctypes.POINTER(Port)]),
        "animat_port_find": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.POINTER(u32), ctypes.POINTER(u32),
                                            ctypes.POINTER(u32), ctypes.POINTER(Port)]),
        "animat_element_name": (ctypes.c_char_p, [P, u32, u32, u32, u32, ctypes.c_char_p, ctypes.c_size_t]),
        "animat_element_unit": (ctypes.c_char_p, [P, u32, u32, u32, u32]),
        "animat_params": (u32, [P, u32]),
        "animat_param": (ctypes.c_char_p, [P, u32, u32, ctypes.POINTER(ctypes.c_char_p), ctypes.c_char_p,
                                           ctypes.c_size_t]),
        "animat_ntheta": (u32, [P]),
        "animat_theta_name": (ctypes.c_char_p, [P, u32, ctypes.c_char_p, ctypes.c_size_t]),
        "animat_get_theta": (ctypes.c_int, [P, dp, u32]),
        "animat_set_theta": (ctypes.c_int, [P, dp, u32]),
        "animat_run": (ctypes.c_int, [P, u64, u64, dp, ctypes.POINTER(u64)]),
        "animat_run_with": (ctypes.c_int, [P, ctypes.POINTER(RunOpts), ctypes.c_void_p]),
        "animat_obs_size": (u32, [P]), "animat_act_size": (u32, [P]),
        "animat_obs_bounds": (dp, [P, ctypes.c_int]), "animat_act_bounds": (dp, [P, ctypes.c_int]),
        "animat_reset": (ctypes.c_int, [P, u64, u64, dp, u32]),
        "animat_step": (ctypes.c_int, [P, dp, u32, dp, u32, dp, ctypes.POINTER(u32)]),
        "animat_episode": (u64, [P]), "animat_step_count": (u64, [P]), "animat_return": (dbl, [P]),
        "animat_render": (ctypes.c_int, [P, u32, u32, ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8))]),
        "animat_state_save": (ctypes.c_int, [P, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(u64)]),
        "animat_state_free": (None, [ctypes.c_void_p]),
        "animat_state_load": (ctypes.c_int, [P, ctypes.c_char_p, u64]),
        "animat_obs": (ctypes.c_int, [P, dp, u32]),
        "animat_rec_open": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]),
        "animat_rec_close": (None, [P]),
        "animat_rec_errmsg": (ctypes.c_char_p, [P]),
        "animat_rec_datasets": (u32, [P]),
        "animat_rec_dataset_info": (ctypes.c_int, [P, u32, ctypes.POINTER(RecDataset)]),
        "animat_rec_read": (ctypes.c_int, [P, u32, ctypes.c_void_p, u64]),
        "animat_rec_attrs": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.POINTER(u32)]),
        "animat_rec_attr": (ctypes.c_int, [P, u32, ctypes.POINTER(RecAttr)]),
        "animat_vec_create": (ctypes.c_int, [ctypes.POINTER(P), u32, ctypes.c_char_p, ctypes.c_size_t]),
        "animat_vec_destroy": (None, [P]),
        "animat_vec_step": (ctypes.c_int, [P, ctypes.POINTER(P), u32, dp, dp, dp, ctypes.POINTER(u32),
                                           ctypes.c_char_p, ctypes.c_size_t]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


def load():
    """The library, declared; raises OSError naming every place tried."""
    tried = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            tried.append(f"{path}: {exc}")
            continue
        if lib.animat_embed_version() != EMBED_VERSION:
            tried.append(f"{path}: embedding API version {lib.animat_embed_version()}, this package needs "
                         f"{EMBED_VERSION}")
            continue
        return _declare(lib), path
    raise OSError("animat: cannot load libanimat.so (set ANIMAT_LIBRARY=/path/libanimat.so): " + "; ".join(tried))


def raw_step(lib):
    """animat_step taking raw addresses (ints) for its pointers: Env.step's fast path."""
    f = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p,
                         ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p)(("animat_step", lib))
    return f


def raw_vec_step(lib):
    """animat_vec_step taking raw addresses (ints) for its pointers: VectorEnv.step's fast path."""
    vp = ctypes.c_void_p
    return ctypes.CFUNCTYPE(ctypes.c_int, vp, vp, ctypes.c_uint32, vp, vp, vp, vp, vp, ctypes.c_size_t)(
        ("animat_vec_step", lib))
