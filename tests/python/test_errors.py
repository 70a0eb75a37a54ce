"""Status codes as exceptions, validation, use after close, versions."""

import math

import pytest

import crit
from crit import _core


def test_one_class_per_code():
    codes = sorted(crit.ERRORS, reverse=True)
    assert codes == list(range(-1, -len(codes) - 1, -1))
    assert len(codes) >= 15
    for code, cls in crit.ERRORS.items():
        assert issubclass(cls, crit.Error)
        assert cls.code == code
        assert getattr(crit, cls.__name__) is cls
        e = cls(code, "detail")
        assert (e.code, e.name, e.message, str(e)) == \
            (code, _core.error_name(code), "detail", "detail")
    assert len({cls.__name__ for cls in crit.ERRORS.values()}) == len(codes)
    assert crit.InvalidArgumentError.code == -1
    assert crit.NotFoundError.code == -3
    assert crit.StateError.code == -6


def test_invalid_curve_names_the_field_and_changes_nothing(world):
    before = world.curve("CHN", "Ga")
    with pytest.raises(crit.InvalidArgumentError) as info:
        world.set_curve("CHN", "Ga", base_production=750.0, capacity=600.0)
    e = info.value
    assert e.code == -1 and e.name == "CRIT_EINVAL"
    assert "capacity 600 is below base production 750" in e.message
    assert "'CHN'" in e.message and "'Ga'" in e.message
    assert world.curve("CHN", "Ga") == before
    with pytest.raises(crit.InvalidArgumentError, match="base demand"):
        world.set_curve("CHN", "Ga", base_demand=math.nan)


def test_invalid_mineral(world):
    with pytest.raises(crit.InvalidArgumentError, match="base price -5"):
        world.add_mineral("Li", -5.0)
    with pytest.raises(crit.InvalidArgumentError, match="choke price"):
        world.add_mineral("Li", 100.0, choke_price=50.0)
    with pytest.raises(crit.InvalidArgumentError, match="malformed"):
        world.add_mineral("1Li", 100.0)
    with pytest.raises(crit.AlreadyExistsError, match="'Ga'"):
        world.add_mineral("Ga", 100.0)
    assert world.mineral_codes == ["Ga", "Ge"]


def test_not_found_and_negative_wedge(world):
    with pytest.raises(crit.NotFoundError, match="XYZ"):
        world.set_curve("XYZ", "Ga", base_demand=1.0)
    with pytest.raises(crit.NotFoundError):
        world.mineral("Nb")
    with pytest.raises(crit.InvalidArgumentError, match="below zero"):
        world.set_export_tax("Ga", "CHN", usd_per_t=-1.0)
    with pytest.raises(crit.InvalidArgumentError, match="transport"):
        world.set_transport("Ga", "CHN", "USA", -3.0)


def test_use_after_close_raises():
    w = crit.World()
    w.add_economy("USA")
    h = w._h
    w.close()
    assert w.closed
    w.close()  # twice is harmless
    assert repr(w) == "<crit.World (closed)>"
    for call in (lambda: w.economies, lambda: w.add_economy("CAN"),
                 lambda: w.copy(), lambda: w.hhi("Ga"), lambda: w == w):
        with pytest.raises(crit.StateError, match="world is closed"):
            call()
    # The raw handle was nulled too: the extension refuses it.
    _core.world_close(h)
    with pytest.raises(crit.StateError, match="world is closed"):
        _core.world_economy_count(h)


def test_context_manager_closes():
    with crit.World() as w:
        w.add_economy("USA", member=True)
        assert w.members == ["USA"]
    assert w.closed
    with pytest.raises(crit.Error):
        w.members


def test_version():
    assert crit.__version__ == crit.version() == _core.COMPILED_VERSION_STRING
    assert crit.version_number() == _core.COMPILED_VERSION_NUMBER
    major, minor, patch = (int(x) for x in crit.__version__.split("."))
    assert crit.version_number() == major * 10000 + minor * 100 + patch
    crit._check_version(10203, 10203)
    with pytest.raises(ImportError, match="10204.*10203"):
        crit._check_version(10204, 10203)


def test_strerror():
    assert crit.strerror(-3) == "not found"
    assert crit.strerror(12345) == "unknown error"


def test_nul_in_a_string_raises_and_changes_nothing(world):
    # A C string ends at a NUL: "CHN\0X" named "CHN" before, silently.
    economies, minerals = world.economy_codes, world.mineral_codes
    for call in (lambda: world.add_economy("KOR\0X"),
                 lambda: world.economy("CHN\0X"),
                 lambda: world.curve("CHN\0X", "Ga"),
                 lambda: world.add_mineral("Nb", 1000.0, name="nio\0bium")):
        with pytest.raises(crit.InvalidArgumentError,
                           match="argument '[a-z]+' contains a NUL character"):
            call()
    assert world.economy_codes == economies
    assert world.mineral_codes == minerals


def test_strings_must_be_str(world):
    with pytest.raises(TypeError, match="must be str, not bytes"):
        world.economy(b"CHN")
    with pytest.raises(TypeError, match="must be str, not int"):
        world.add_economy(7)
    # a name beyond ASCII goes in and comes back as UTF-8
    world.add_economy("CIV", name="C\u00f4te d\u2019Ivoire")
    assert world.economy("CIV").name == "C\u00f4te d\u2019Ivoire"


def test_negative_index_is_out_of_range(world):
    # an index below 0 or beyond size_t is out of range, as one past the
    # end is (SWIG's default raised OverflowError); a float is no index
    m = crit.Market(world, "Ga")
    m.solve()
    with pytest.raises(crit.IndexOutOfRangeError):
        m.agent_result(0)  # no agent: past the end
    with pytest.raises(crit.IndexOutOfRangeError,
                       match="argument 'index' is negative"):
        m.agent_result(-1)
    with pytest.raises(crit.IndexOutOfRangeError, match="is too large"):
        m.agent_result(2**64)
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        m.agent_result(0.0)
    m.close()


def test_error_without_a_message_takes_the_static_text():
    e = crit.InvalidArgumentError(-1)
    assert e.message == str(e) == crit.strerror(-1) == "invalid argument"
    assert e.name == "CRIT_EINVAL" and e.code == -1


def test_context_manager_does_not_swallow_exceptions():
    with pytest.raises(KeyError, match="boom"):
        with crit.World() as w:
            raise KeyError("boom")
    assert w.closed
