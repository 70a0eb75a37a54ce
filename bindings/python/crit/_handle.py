"""The lifetime every wrapped libcrit handle shares: close(), closed and
the context-manager protocol. A subclass names its handle's close function
in `_close` and keeps the handle in `self._h`; one whose methods make long
calls (the GIL released, callbacks into Python) also has a `_calls` list
and makes them through `_long_call`."""


class _Handle:
    """Lifetime of a wrapped libcrit handle: close(), closed, with."""

    __slots__ = ()
    _close = None

    def close(self):
        """close() -> None: free it now (objects that use it keep it
        alive; a run or solve in progress, in another thread or from its
        own callback, frees it when it returns). Closing twice is
        harmless; any later use raises crit.StateError."""
        h, self._h = self._h, None
        if h is not None and not getattr(self, "_calls", None):
            type(self)._close(h)

    def _long_call(self, fn, *args):
        """fn(handle, *args) for a call that releases the GIL or calls back
        into Python: a close() meanwhile marks this closed at once and the
        handle is freed when the last such call returns, never under it.
        (list.append and list.remove are atomic under the GIL, and the
        close functions are no-ops on a handle already closed.)"""
        h = self._h
        if h is None:
            return fn(h, *args)  # raises crit.StateError
        token = object()
        self._calls.append(token)
        try:
            return fn(h, *args)
        finally:
            self._calls.remove(token)
            if self._h is None and not self._calls:
                type(self)._close(h)

    @property
    def closed(self):
        """True once close() has been called."""
        return self._h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
