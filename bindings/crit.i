/*
 * crit.i: the SWIG interface shared by every language binding of libcrit.
 *
 * Layout (one shared interface, one small entry file per language, as in
 * LLDB and PLplot; one .i per domain, as in QuantLib-SWIG):
 *
 *   bindings/crit.i               this file: conventions, renames and the
 *                                 list of domain files
 *   bindings/error.i, world.i,    one file per public header: what is
 *   risk.i, ...                   wrapped, what is flattened or ignored
 *   bindings/python/crit_python.i Python entry: %module, the typemaps
 *                                 below, exceptions, handle close
 *   bindings/lua/crit_lua.i       the same for Lua
 *
 * An entry file defines, before including this file, the language's
 * version of these generic typemaps; domain files only %apply them:
 *
 *   %typemap(out) int             a status code: negative raises (Python:
 *                                 the crit.Error subclass for the code;
 *                                 Lua: error({code, name, message}));
 *                                 0 returns nothing
 *   T *CRIT_OUT                   an out-parameter becomes a return value,
 *                                 for T = double, size_t, int32_t
 *   const char **CRIT_OUT         a borrowed string out-parameter, copied
 *   SWIGTYPE **CRIT_OWNED_OUT     an owned handle out-parameter: returned
 *                                 as an object that owns it (its _free
 *                                 runs when the object is collected); the
 *                                 out-parameter form of %newobject, which
 *                                 only applies to returned pointers
 *   (double *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N)
 *                                 a caller-provided bulk array: Python
 *                                 passes a writable C-contiguous float64
 *                                 buffer (a numpy array), filled in place
 *                                 with no copy per element; Lua passes a
 *                                 length and gets a table back
 *   (int32_t *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N)
 *                                 the same for int32 arrays (crit_date)
 *   (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N)
 *                                 a read-only input array: Python passes a
 *                                 C-contiguous float64 buffer (or None:
 *                                 NULL, 0); Lua passes a table of numbers
 *   (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD)
 *                                 a progress callback: the language passes
 *                                 a callable f(done, total) or nothing
 *                                 (Python None, Lua nil); returning false
 *                                 cancels, an error raised in it cancels
 *                                 the call (CRIT_ECANCELLED) and is then
 *                                 re-raised as it was. Python calls it
 *                                 with the GIL taken back and checks for
 *                                 signals (Ctrl-C cancels a run)
 *   CRIT_LONG_CALL(name)          SWIG macro: mark a long computation;
 *                                 Python releases the GIL around it (a
 *                                 callback it makes must take the GIL
 *                                 back), Lua does nothing
 *   CRIT_RAISE(code, msg)         C macro: raise a libcrit error and jump
 *                                 to the wrapper's fail label
 *   CRIT_HANDLE_CLOSE(TYPE, FREE) SWIG macro: a `<type>_close(obj)`
 *                                 function that frees the handle now and
 *                                 nulls the wrapper, so that any later use
 *                                 raises CRIT_ESTATE instead of crashing
 *
 * Names: `crit_` is stripped (crit_world_new -> world_new) and helpers
 * written here for the bindings are named `crit_swig_*` and lose that
 * prefix too, so they replace the C function they flatten.
 *
 * To add a module (say market.h):
 *   1. create bindings/market.i: %apply the generic typemaps to its
 *      out-parameters, CRIT_HANDLE(crit_market, crit_market_free, "market")
 *      for each opaque handle, %ignore what takes a struct with strings or
 *      callbacks and add a flat crit_swig_* helper for it, then
 *      %include "crit/market.h";
 *   2. %include "market.i"
%include "stockpile.i"
%include "programme.i"
%include "scenario.i" at the end of this file;
 *   3. wrap it natively in bindings/python/crit/ and bindings/lua/crit.lua
 *      (keyword arguments, dataclasses/tables, docstrings) and test it in
 *      tests/python and tests/lua.
 * Nothing language-specific belongs in the domain files.
 */

%{
#include <crit.h>
%}

%include <stdint.i>

/* SWIG does not follow the headers' #include of crit/common.h. */
#define CRIT_API
#define CRIT_BEGIN_DECLS
#define CRIT_END_DECLS

/* crit_world_mineral_get -> world_mineral_get, crit_swig_x -> x. */
%rename("%(regex:/^crit_(swig_)?(.*)$/\\2/)s", regextarget=1) "^crit_";

/*
 * CRIT_HANDLE(TYPE, FREE, NOUN): make an opaque handle a wrapped type with
 * FREE as its destructor, no constructor (handles come from *_new
 * functions through CRIT_OWNED_OUT), a check that refuses a closed (NULL)
 * handle with CRIT_ESTATE, and a close function.
 */
%define CRIT_HANDLE(TYPE, FREE, NOUN)
%nodefaultctor TYPE;
struct TYPE {};
%extend TYPE {
    ~TYPE() { FREE($self); }
}
%typemap(check) TYPE *, const TYPE * {
    if (!$1)
        CRIT_RAISE(CRIT_ESTATE, NOUN " is closed");
}
%apply SWIGTYPE **CRIT_OWNED_OUT { TYPE **out };
%ignore FREE;
CRIT_HANDLE_CLOSE(TYPE, FREE)
%enddef

%include "error.i"
%include "world.i"
%include "risk.i"
%include "loan.i"
%include "data.i"
%include "market.i"
%include "stockpile.i"
%include "programme.i"
%include "scenario.i"
%include "io.i"
