/*
 * crit_python.i: Python entry file of the libcrit bindings. It builds the
 * private extension crit._core (SWIG -builtin: no generated proxy module);
 * the public package is the hand-written layer in crit/.
 * See ../crit.i for the structure and how to add a module.
 */
%module(package="crit") core

%feature("autodoc", "1");

%{
#define SWIG_FILE_WITH_INIT
#include <crit.h>

/* code -> crit.Error subclass, registered by crit/__init__.py. */
static PyObject *crit_py_error_classes;

/* The message may quote input that is not UTF-8 (a CSV field): its bad
 * bytes are shown as \xNN rather than replacing the error with a
 * UnicodeDecodeError. */
static void crit_py_raise(int code, const char *message)
{
    PyObject *cls = NULL;
    PyObject *key = PyLong_FromLong(code);
    PyObject *msg, *exc;
    if (!key)
        return;
    if (crit_py_error_classes)
        cls = PyDict_GetItemWithError(crit_py_error_classes, key);
    Py_DECREF(key);
    if (!cls) {
        if (PyErr_Occurred())
            return;
        cls = PyExc_RuntimeError;
    }
    msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message),
                               "backslashreplace");
    if (!msg)
        return;
    exc = PyObject_CallFunction(cls, "iO", code, msg);
    Py_DECREF(msg);
    if (!exc)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

#define CRIT_RAISE(code, message)                                              \
    do {                                                                       \
        crit_py_raise((code), (message));                                      \
        SWIG_fail;                                                             \
    } while (0)
%}

/* ---- generic typemaps (see ../crit.i) --------------------------------- */

%typemap(out) int {
    if ($1 < 0)
        CRIT_RAISE($1, crit_error_last());
    $result = SWIG_Py_Void();
}
/* int32_t is a value (a count, a flag, a version), not a status. */
%typemap(out) int32_t "$result = PyLong_FromLong($1);"

%typemap(in, numinputs=0) double *CRIT_OUT (double tmp = 0), size_t *CRIT_OUT (size_t tmp = 0),
    int32_t *CRIT_OUT (int32_t tmp = 0), const char **CRIT_OUT (const char *tmp = NULL)
    "$1 = ($1_ltype)&tmp;"
%typemap(argout) double *CRIT_OUT
    "$result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1));"
%typemap(argout) size_t *CRIT_OUT
    "$result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1));"
%typemap(argout) int32_t *CRIT_OUT
    "$result = SWIG_Python_AppendOutput($result, PyLong_FromLong(*$1));"
%typemap(argout) const char **CRIT_OUT
    "$result = SWIG_Python_AppendOutput($result, SWIG_FromCharPtr(*$1));"

/* Strings: a str (passed as UTF-8) or None (NULL, which the library
 * refuses where it needs a string). A NUL character inside would end the
 * string early in C, so that "US\0A" named "US": it raises
 * crit.InvalidArgumentError instead (SWIG's default cut it silently). */
%typemap(in) const char * {
    if ($input == Py_None) {
        $1 = NULL;
    } else if (PyUnicode_Check($input)) {
        Py_ssize_t n = 0;
        $1 = ($1_ltype)PyUnicode_AsUTF8AndSize($input, &n);
        if (!$1)
            SWIG_fail;
        if (strlen($1) != (size_t)n)
            CRIT_RAISE(CRIT_EINVAL, "$symname: argument '$1_name' contains a NUL character");
    } else {
        PyErr_Format(PyExc_TypeError, "$symname: argument '$1_name' must be str, not %.100s",
                     Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
}
%typemap(freearg) const char * "" /* borrowed from the str */

/* An index (size_t): an int, or what operator.index() takes (a float
 * raises TypeError). One below 0 or beyond size_t raises
 * crit.IndexOutOfRangeError, as one past the end does (SWIG's default
 * raised OverflowError naming the C argument's position). */
%typemap(in) size_t {
    PyObject *index = PyNumber_Index($input);
    int overflow = 0;
    long long v;
    if (!index)
        SWIG_fail;
    v = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (v == -1 && PyErr_Occurred())
        SWIG_fail;
    if (overflow > 0 || (v > 0 && (unsigned long long)v > (unsigned long long)SIZE_MAX))
        CRIT_RAISE(CRIT_ERANGE, "$symname: argument '$1_name' is too large");
    if (overflow < 0 || v < 0)
        CRIT_RAISE(CRIT_ERANGE, "$symname: argument '$1_name' is negative");
    $1 = (size_t)v;
}

/* File paths: str, bytes or an os.PathLike (a pathlib.Path), as open()
 * takes them; a str is encoded as os.fsencode() does, so a name that is
 * not UTF-8 (its bytes surrogate-escaped by os.listdir()) reaches the
 * same file. A NUL byte inside raises crit.InvalidArgumentError. */
%typemap(in) const char *path (PyObject *encoded = NULL) {
    PyObject *fs = PyOS_FSPath($input);
    if (!fs)
        SWIG_fail;
    if (PyUnicode_Check(fs)) {
        encoded = PyUnicode_EncodeFSDefault(fs);
        Py_DECREF(fs);
        if (!encoded)
            SWIG_fail;
    } else {
        encoded = fs; /* PyOS_FSPath gives str or bytes */
    }
    $1 = PyBytes_AS_STRING(encoded);
    if (strlen($1) != (size_t)PyBytes_GET_SIZE(encoded))
        CRIT_RAISE(CRIT_EINVAL, "$symname: the path contains a NUL byte");
}
%typemap(freearg) const char *path {
    Py_XDECREF(encoded$argnum);
}

%typemap(in, numinputs=0) SWIGTYPE **CRIT_OWNED_OUT ($*1_ltype tmp = NULL)
    "$1 = ($1_ltype)&tmp;"
%typemap(argout) SWIGTYPE **CRIT_OWNED_OUT
    "$result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN));"

/* Bulk arrays: a writable, C-contiguous buffer of the element type (a
 * numpy array of float64 or int32), filled in place. */
%define CRIT_PY_ARRAY(CTYPE, FORMAT)
%typemap(in) (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) (Py_buffer view, int have_view = 0) {
    const char *fmt;
    if (PyObject_GetBuffer($input, &view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) != 0)
        SWIG_fail;
    have_view = 1;
    fmt = view.format ? view.format : "B";
    if (*fmt == '<' || *fmt == '=' || *fmt == '@')
        fmt++;
    if (view.itemsize != (Py_ssize_t)sizeof(CTYPE) || strcmp(fmt, FORMAT) != 0) {
        PyErr_SetString(PyExc_TypeError, "expected a writable C-contiguous array of " #CTYPE);
        SWIG_fail;
    }
    $1 = (CTYPE *)view.buf;
    $2 = (size_t)(view.len / (Py_ssize_t)sizeof(CTYPE));
}
%typemap(freearg) (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}
/* nothing to return: without this, the argout of CTYPE *CRIT_OUT (applied
 * to `double *out` elsewhere) would read the array's first element, past
 * the end of an empty one */
%typemap(argout) (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) ""
%enddef
CRIT_PY_ARRAY(double, "d")
CRIT_PY_ARRAY(int32_t, "i")

/* Read-only input arrays: a C-contiguous float64 buffer, or None. */
%typemap(in) (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N) (Py_buffer view, int have_view = 0) {
    const char *fmt;
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else {
        if (PyObject_GetBuffer($input, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) != 0)
            SWIG_fail;
        have_view = 1;
        fmt = view.format ? view.format : "B";
        if (*fmt == '<' || *fmt == '=' || *fmt == '@')
            fmt++;
        if (view.itemsize != (Py_ssize_t)sizeof(double) || strcmp(fmt, "d") != 0) {
            PyErr_SetString(PyExc_TypeError, "expected a C-contiguous array of double");
            SWIG_fail;
        }
        $1 = ($1_ltype)view.buf;
        $2 = (size_t)(view.len / (Py_ssize_t)sizeof(double));
    }
}
%typemap(freearg) (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N) {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}

/* Progress callbacks: a callable f(done, total) or None. It is called
 * with the GIL taken back; Ctrl-C (a pending signal), an exception or a
 * return value of False cancels the run, and the exception is kept here
 * and restored once the run has returned CRIT_ECANCELLED, so the caller
 * sees the callable's own exception. */
%{
typedef struct crit_py_progress {
    PyObject *callable; /* borrowed from the arguments, or NULL */
    PyObject *type, *value, *traceback; /* what the callable raised */
} crit_py_progress;

static int crit_py_progress_cb(int32_t done, int32_t total, void *payload)
{
    crit_py_progress *p = (crit_py_progress *)payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    int stop = 0;
    if (PyErr_CheckSignals() < 0) {
        stop = 1;
    } else if (p->callable) {
        PyObject *r = PyObject_CallFunction(p->callable, "ii", (int)done,
                                            (int)total);
        if (!r) {
            stop = 1;
        } else {
            stop = r == Py_False;
            Py_DECREF(r);
        }
    }
    if (stop && PyErr_Occurred() && !p->type)
        PyErr_Fetch(&p->type, &p->value, &p->traceback);
    PyGILState_Release(gil);
    return stop;
}
%}
%typemap(in) (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD) (crit_py_progress prog = {NULL, NULL, NULL, NULL}) {
    prog.callable = NULL;
    prog.type = prog.value = prog.traceback = NULL;
    if ($input != Py_None) {
        if (!PyCallable_Check($input)) {
            PyErr_SetString(PyExc_TypeError, "progress must be callable or None");
            SWIG_fail;
        }
        prog.callable = $input;
    }
    $1 = crit_py_progress_cb;
    $2 = &prog;
}
%typemap(freearg) (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD) {
    if (prog$argnum.type) {
        if (PyErr_Occurred()) {
            PyErr_Restore(prog$argnum.type, prog$argnum.value, prog$argnum.traceback);
        } else {
            Py_XDECREF(prog$argnum.type);
            Py_XDECREF(prog$argnum.value);
            Py_XDECREF(prog$argnum.traceback);
        }
    }
}

/* Release the GIL around a long computation. */
%define CRIT_LONG_CALL(NAME)
%exception NAME {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}
%enddef

/* TYPE_close(obj): free now, leave a NULL pointer that the check typemap
 * of CRIT_HANDLE refuses. Closing twice is a no-op. */
%define CRIT_HANDLE_CLOSE(TYPE, FREE)
%inline %{
static PyObject *TYPE##_close(PyObject *obj)
{
    void *ptr = NULL;
    SwigPyObject *self;
    if (!SWIG_IsOK(SWIG_ConvertPtr(obj, &ptr, SWIGTYPE_p_##TYPE, 0))) {
        PyErr_SetString(PyExc_TypeError, #TYPE "_close: expected a " #TYPE);
        return NULL;
    }
    self = SWIG_Python_GetSwigThis(obj);
    if (self && self->ptr) {
        if (self->own)
            FREE((TYPE *)self->ptr);
        self->own = 0;
        self->ptr = NULL;
    }
    Py_RETURN_NONE;
}
%}
%enddef

%include "../crit.i"

%inline %{
/* Called once by crit/__init__.py with {code: class}. */
static PyObject *_set_error_classes(PyObject *classes)
{
    if (!PyDict_Check(classes)) {
        PyErr_SetString(PyExc_TypeError, "expected a dict");
        return NULL;
    }
    Py_XDECREF(crit_py_error_classes);
    Py_INCREF(classes);
    crit_py_error_classes = classes;
    Py_RETURN_NONE;
}
%}
