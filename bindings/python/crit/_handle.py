"""The lifetime every wrapped libcrit handle shares: close(), closed and
the context-manager protocol. A subclass names its handle's close function
in `_close` and keeps the handle in `self._h`."""


class _Handle:
    """Lifetime of a wrapped libcrit handle: close(), closed, with."""

    __slots__ = ()
    _close = None

    def close(self):
        """close() -> None: free it now (objects that use it keep it
        alive). Closing twice is harmless; any later use raises
        crit.StateError."""
        h, self._h = self._h, None
        if h is not None:
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
