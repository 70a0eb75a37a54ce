"""crit.World.save / crit.load, CSV in and out, the tidy pandas export,
and errors as exceptions naming where."""

import gzip
import os

import pytest

import crit


def test_save_load_round_trip(world, tmp_path):
    path = tmp_path / "w.crit"
    world.set_tariff("Ga", "CHN", "USA", 100.0, 0.25)
    world.set_export_ban("Ga", "CHN", "JPN")
    world.set_export_quota("Ga", "CHN", 500.0)
    world.save(path)
    back = crit.load(path)
    assert back == world
    assert back.curve("CHN", "Ga") == world.curve("CHN", "Ga")
    assert back.wedge("Ga", "CHN", "USA").tariff == 100.0 + 0.25 * 600_000.0
    assert crit.World.load(str(path)) == world
    world.set_transport("Ga", "CHN", "USA", 1.0)
    assert back != world  # a real comparison: a change is seen
    back.close()


def test_save_levels(world, tmp_path):
    sizes = []
    for level in (0, 9):
        p = tmp_path / f"l{level}.crit"
        world.save(p, level=level)
        sizes.append(p.stat().st_size)
        assert crit.load(p) == world
    assert sizes[1] < sizes[0]
    with pytest.raises(crit.InvalidArgumentError, match="deflate level 12"):
        world.save(tmp_path / "x.crit", level=12)


def test_load_errors_are_exceptions(world, tmp_path):
    path = tmp_path / "w.crit"
    world.save(path)
    data = bytearray(path.read_bytes())
    data[40] ^= 0x10
    bad = tmp_path / "bad.crit"
    bad.write_bytes(bytes(data))
    with pytest.raises(crit.FormatError, match=r"bad.crit'?: chunk \w+ at "
                       r"offset \d+"):
        crit.load(bad)
    data = bytearray(path.read_bytes())
    data[8] = 2  # major version 2
    bad.write_bytes(bytes(data))
    with pytest.raises(crit.VersionError, match="newer"):
        crit.load(bad)
    with pytest.raises(crit.InputOutputError, match="directory"):
        crit.load(tmp_path)
    with pytest.raises(crit.FormatError, match="too short"):
        (tmp_path / "empty").write_bytes(b"")
        crit.load(tmp_path / "empty")


def test_csv_round_trip(world, tmp_path):
    world.set_tariff("Ga", "CHN", "USA", 100.0, 0.25)
    world.set_import_ban("Ge", "USA", "CHN")
    world.set_export_tax("Ga", "CHN", 10.0, 0.01)
    back = None
    for i, table in enumerate(("economies", "minerals", "curves", "arcs",
                               "exports")):
        p = tmp_path / f"{table}.csv{'.gz' if i % 2 else ''}"
        world.to_csv(p, table)
        if i % 2:
            gzip.decompress(p.read_bytes())  # really gzip
        back = crit.read_csv(p, table) if back is None else \
            back.read_csv(p, table)
    assert back == world


def test_csv_errors_name_line_and_column(world, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("code,base_price_usd_per_t\nXx,12\nYy,-5\n")
    with pytest.raises(crit.InvalidArgumentError,
                       match=r"m.csv' line 3 column 2 \(base_price_usd_per_t"
                             r"\): mineral 'Yy': base price -5"):
        world.read_csv(p, "minerals")
    assert "Xx" not in world.mineral_codes  # unchanged
    p.write_text("economy,mineral,capacity_t_per_yr\nCHN,Ga,abc\n")
    with pytest.raises(crit.FormatError, match="line 2 column 3"):
        world.read_csv(p, "curves")
    # a bad table name is a bad argument, as every other bad name is
    with pytest.raises(crit.InvalidArgumentError, match="unknown CSV table "
                       "'prices'; expected one of minerals, economies"):
        world.read_csv(p, "prices")
    with pytest.raises(crit.InvalidArgumentError, match="unknown CSV table 3"):
        world.to_csv(tmp_path / "x.csv", 3)


def test_error_message_with_bytes_not_utf8_keeps_its_class(tmp_path):
    """A message quoting input that is not UTF-8 (a CSV field) still raises
    the code's crit.Error subclass, the bad byte shown as \\xff; before,
    decoding the message raised UnicodeDecodeError instead."""
    p = tmp_path / "e.csv"
    p.write_bytes(b"code,name,member\nUSA,United States,1\nU\xffA,x,1\n")
    with pytest.raises(crit.InvalidArgumentError) as e:
        crit.read_csv(p, "economies")
    assert e.value.name == "CRIT_EINVAL"
    assert "line 3 column 1 (code): economy code 'U\\xffA' is malformed" \
        in e.value.message
    p.write_bytes(b"code,name,member\nUSA,United States,maybe\xff\n")
    with pytest.raises(crit.FormatError, match=r"'maybe\\xff' is not 0 or 1"):
        crit.read_csv(p, "economies")


def test_to_frame_is_tidy(world):
    df = world.to_frame()
    assert list(df.columns) == ["mineral", "economy", "series", "period",
                                "value"]
    row = df[(df.mineral == "Ga") & (df.economy == "CHN")
             & (df.series == "base_production_t_per_yr")]
    assert row.value.tolist() == [750.0]
    p0 = df[(df.mineral == "Ga") & (df.economy == "")
            & (df.series == "base_price_usd_per_t")]
    assert p0.value.tolist() == [600_000.0]
    n_eco, n_min = len(world.economy_codes), len(world.mineral_codes)
    assert len(df) == n_min * 3 + n_min * n_eco * 7  # no quotas set
    assert (df.period == 0).all()


def test_market_results_to_csv(world, tmp_path):
    import pandas as pd

    m = crit.Market(world, "Ga")
    path = tmp_path / "ga.csv"
    with pytest.raises(crit.StateError):
        m.to_csv(path)
    m.solve()
    m.to_csv(path, period=7)
    df = pd.read_csv(path, keep_default_na=False)
    prices = df[df.series == "price"].set_index("economy").value
    for code, p in zip(world.economy_codes, m.values("price")):
        assert prices[code] == p  # 17 significant digits: exact
    assert (df.period == 7).all()
    assert df[(df.economy == "") & (df.series == "residual")].value.iloc[0] \
        == m.info.residual
    m.close()


def test_paths_as_open_takes_them(world, tmp_path):
    # str, bytes and os.PathLike name the same file; a name that is not
    # UTF-8 works as bytes and as the str os.listdir gives for it
    raw = os.fsencode(tmp_path) + b"/w\xff.crit"
    world.save(raw)
    listed = os.listdir(tmp_path)
    assert listed == ["w\udcff.crit"]
    assert crit.load(tmp_path / listed[0]) == world
    assert crit.load(raw) == world
    assert crit.load(os.fsdecode(raw)) == world
    world.to_csv(tmp_path / "m.csv", "minerals")
    assert crit.read_csv(os.fsencode(tmp_path / "m.csv"), "minerals") \
        .mineral_codes == world.mineral_codes
    # a NUL would end the path early in C, naming another file
    with pytest.raises(crit.InvalidArgumentError, match="NUL byte"):
        world.save(str(tmp_path / "w.crit\0.txt"))
    with pytest.raises(crit.InvalidArgumentError, match="NUL byte"):
        crit.load(raw + b"\0x")
    assert sorted(os.listdir(tmp_path)) == ["m.csv", "w\udcff.crit"]
    with pytest.raises(TypeError):
        world.save(None)


def test_load_limit_compress_and_table_ids(world, tmp_path):
    p = tmp_path / "w.crit"
    world.save(p)
    with pytest.raises(crit.FormatError, match="exceeds the limit"):
        crit.load(p, max_uncompressed_bytes=10)
    assert crit.load(p, max_uncompressed_bytes=1 << 20) == world
    # the limit is a whole number of bytes, not negative (a float was
    # truncated, -1 gave SWIG's OverflowError)
    for load in (crit.load, crit.load_scenario):
        with pytest.raises(TypeError):
            load(p, max_uncompressed_bytes=1e6)
        with pytest.raises(crit.InvalidArgumentError,
                           match="max_uncompressed_bytes -1 is negative"):
            load(p, max_uncompressed_bytes=-1)
    with pytest.raises(TypeError):
        world.save(p, level=6.0)
    # compress forces gzip (or not) whatever the name
    world.to_csv(tmp_path / "m.csv", "minerals", compress=True)
    assert (tmp_path / "m.csv").read_bytes()[:2] == b"\x1f\x8b"
    world.to_csv(tmp_path / "m.csv.gz", "minerals", compress=False)
    assert (tmp_path / "m.csv.gz").read_bytes().startswith(b"code,")
    # the table names are crit_csv_table's values (docs/format.md)
    from crit import _core
    assert crit.CSV_TABLES == {
        "minerals": _core.CRIT_CSV_MINERALS,
        "economies": _core.CRIT_CSV_ECONOMIES,
        "curves": _core.CRIT_CSV_CURVES, "arcs": _core.CRIT_CSV_ARCS,
        "exports": _core.CRIT_CSV_EXPORTS, "series": _core.CRIT_CSV_SERIES}
    world.set_transport("Ga", "CHN", "USA", 5.0)
    world.to_csv(tmp_path / "a.csv", "arcs")
    assert (tmp_path / "a.csv").read_text().startswith("mineral,from,to,")


def test_market_to_csv_compress(world, tmp_path):
    with crit.Market(world, "Ga") as m:
        m.solve()
        m.to_csv(tmp_path / "m.csv", compress=True)
        assert (tmp_path / "m.csv").read_bytes()[:2] == b"\x1f\x8b"
        m.to_csv(tmp_path / "m.csv.gz", compress=False)
        assert (tmp_path / "m.csv.gz").read_bytes().startswith(b"mineral,")
