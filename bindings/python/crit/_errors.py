"""The crit.Error hierarchy, built from libcrit's status-code table.

Every negative code of ``crit/error.h`` gets one subclass of :class:`Error`.
The codes, their symbolic names and their messages come from the loaded
library (``crit_error_name``, ``crit_strerror``); only the spelling of the
Python class names is chosen here, and a code this file does not know
still gets a class, named after its message.
"""

from . import _core

# Readable class names for the codes whose message is long.
_CLASS_NAMES = {
    "CRIT_EINVAL": "InvalidArgumentError",
    "CRIT_ENOMEM": "OutOfMemoryError",
    "CRIT_ENOTFOUND": "NotFoundError",
    "CRIT_EEXISTS": "AlreadyExistsError",
    "CRIT_ERANGE": "IndexOutOfRangeError",
    "CRIT_ESTATE": "StateError",
    "CRIT_EDOMAIN": "DomainError",
    "CRIT_ENOCONV": "NoConvergenceError",
    "CRIT_EIO": "InputOutputError",
    "CRIT_EFORMAT": "FormatError",
    "CRIT_EVERSION": "VersionError",
    "CRIT_EBUFSIZE": "BufferSizeError",
    "CRIT_EUNSUPPORTED": "UnsupportedError",
    "CRIT_ECANCELLED": "CancelledError",
    "CRIT_EINTERNAL": "InternalError",
}


class Error(Exception):
    """Base class of every libcrit error.

    Attributes:
        code (int): the negative status code, e.g. -1 for CRIT_EINVAL.
        name (str): its symbolic name, e.g. ``"CRIT_EINVAL"``.
        message (str): what was wrong and where, from ``crit_error_last()``.
    """

    code = None

    def __init__(self, code, message=""):
        super().__init__(code, message)
        self.code = code
        self.name = _core.error_name(code)
        self.message = message or _core.strerror(code)

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"{type(self).__name__}({self.code}, {self.message!r})"


def _class_name(name, text):
    if name in _CLASS_NAMES:
        return _CLASS_NAMES[name]
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "".join(w[:1].upper() + w[1:] for w in words) + "Error"


def _build():
    """Return {code: class} for every code of the loaded library."""
    classes = {}
    code = -1
    while _core.error_name(code) != "CRIT_UNKNOWN":
        name = _core.error_name(code)
        text = _core.strerror(code)
        cls = type(_class_name(name, text), (Error,), {
            "__doc__": f"{name} ({code}): {text}.",
            "__module__": "crit",
            "code": code,
        })
        classes[code] = cls
        code -= 1
    return classes


ERRORS = _build()
"""Every error class, by status code."""

_core._set_error_classes(ERRORS)


def _error_class(code):
    return ERRORS.get(code, Error)


def _raise(code, message):
    raise _error_class(code)(code, message)
