/* The world (libcrit/world.c, MODEL.md sections 1 and 2): add, look up,
 * iterate, validate, trade wedges, bans, quotas, copy, equality, growth,
 * and allocation failure. */
#include "failalloc.h"

#include <math.h>
#include <stdio.h>

#include "world_internal.h"
#include "msg_has.h"

static failalloc fa;

/* The fixture world: two minerals, four economies, some curves and
 * wedges; `before` is a copy taken once it is built, so that a refused
 * call can be checked to have changed nothing. */
struct fx {
    crit_world *w;
    crit_world *before;
};

static void add_mineral(crit_world *w, const char *code, double p0, double pmax)
{
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = code;
    d.base_price_usd_per_t = p0;
    d.choke_price_usd_per_t = pmax;
    assert_int_equal(crit_world_add_mineral(w, &d), CRIT_OK);
}

static void add_economy(crit_world *w, const char *code, int32_t member)
{
    crit_economy_def d;
    crit_economy_def_init(&d);
    d.code = code;
    d.member = member;
    assert_int_equal(crit_world_add_economy(w, &d), CRIT_OK);
}

static void set_curve(crit_world *w, const char *eco, const char *min,
                      double s0, double K, double eta, double d0, double eps)
{
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = s0;
    c.capacity_t_per_yr = K;
    c.supply_elasticity = eta;
    c.base_demand_t_per_yr = d0;
    c.demand_elasticity = eps;
    assert_int_equal(crit_world_set_curve(w, eco, min, &c), CRIT_OK);
}

static int setup(void **state)
{
    if (failalloc_install(&fa))
        return -1;
    crit_error_clear();
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(crit_world_new(&f->w), CRIT_OK);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.name = "gallium";
    d.basis = "contained Ga";
    d.base_price_usd_per_t = 500;
    d.holding_cost_usd_per_t_yr = 20;
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    add_mineral(f->w, "NdPr", 100000, 300000);
    add_economy(f->w, "CHN", 0);
    add_economy(f->w, "USA", 1);
    add_economy(f->w, "JPN", 1);
    add_economy(f->w, "ROW", 0);
    set_curve(f->w, "CHN", "Ga", 750, 900, 0.5, 400, 0.3);
    set_curve(f->w, "USA", "Ga", 0, 0, 0, 20, 0.2);
    set_curve(f->w, "JPN", "Ga", 10, 15, 0.4, 60, 0.25);
    set_curve(f->w, "ROW", "NdPr", 30000, 40000, 1, 20000, 0.5);
    assert_int_equal(crit_world_set_transport(f->w, "Ga", "CHN", "USA", 50),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(f->w, "Ga", "CHN", "USA", 10, 0.25),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(f->w, "Ga", "CHN", 5, 0),
                     CRIT_OK);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    crit_world_free(f->w);
    crit_world_free(f->before);
    free(f);
    return failalloc_uninstall(&fa);
}

/* A refused call: the exact code, a message naming what was wrong, and
 * the world exactly as before. */
#define REFUSED(f, call, code, ...)                                            \
    do {                                                                       \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        assert_true(crit_world_equal((f)->w, (f)->before));                    \
    } while (0)

/* ---- construction, look-up, iteration ----------------------------------- */

/* Whether trade in `mineral` from `from` to `to` is allowed (no ban). */
static int32_t arc_open(const crit_world *w, const char *mineral,
                        const char *from, const char *to)
{
    int32_t allowed = -1;
    assert_int_equal(crit_world_arc_wedge(NULL, &allowed, w, mineral, from, to),
                     CRIT_OK);
    return allowed;
}

static void test_world_new_is_empty(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    assert_non_null(w);
    assert_int_equal(crit_world_mineral_count(w), 0);
    assert_int_equal(crit_world_economy_count(w), 0);
    assert_int_equal(crit_world_member_count(w), 0);
    assert_null(crit_world_mineral_code(w, 0));
    assert_null(crit_world_economy_code(w, 0));
    size_t k = 77;
    assert_int_equal(crit_world_mineral_index(&k, w, "Ga"), CRIT_ENOTFOUND);
    assert_int_equal(k, 77);
    crit_world_free(w);
    crit_world_free(NULL);
    assert_int_equal(crit_world_new(NULL), CRIT_EINVAL);
    assert_int_equal(crit_world_mineral_count(NULL), 0);
    assert_int_equal(crit_world_economy_count(NULL), 0);
    assert_int_equal(crit_world_member_count(NULL), 0);
}

static void test_world_mineral_lookup_and_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(crit_world_mineral_count(f->w), 2);
    size_t k = 99;
    assert_int_equal(crit_world_mineral_index(&k, f->w, "NdPr"), CRIT_OK);
    assert_int_equal(k, 1);
    assert_int_equal(crit_world_mineral_index(&k, f->w, "Ga"), CRIT_OK);
    assert_int_equal(k, 0);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    assert_int_equal(crit_world_mineral_get(&d, f->w, 0), CRIT_OK);
    assert_string_equal(d.code, "Ga");
    assert_string_equal(d.name, "gallium");
    assert_string_equal(d.basis, "contained Ga");
    assert_true(d.base_price_usd_per_t == 500);
    assert_true(d.choke_price_usd_per_t == 5000); /* default 10 * P0 */
    assert_true(d.holding_cost_usd_per_t_yr == 20);
    assert_int_equal(crit_world_mineral_get(&d, f->w, 1), CRIT_OK);
    assert_string_equal(d.code, "NdPr");
    assert_string_equal(d.name, "NdPr"); /* NULL name: the code */
    assert_string_equal(d.basis, "");    /* NULL basis: empty */
    assert_true(d.choke_price_usd_per_t == 300000);
    assert_true(d.holding_cost_usd_per_t_yr == 0);
    /* Lookups are case-sensitive. */
    REFUSED(f, crit_world_mineral_index(&k, f->w, "ga"), CRIT_ENOTFOUND, "'ga'",
            "not in the world");
    assert_int_equal(k, 0);
    REFUSED(f, crit_world_mineral_index(NULL, f->w, "Ga"), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_mineral_index(&k, NULL, "Ga"), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_mineral_index(&k, f->w, NULL), CRIT_EINVAL, "NULL");
}

static void test_world_economy_lookup_and_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(crit_world_economy_count(f->w), 4);
    assert_int_equal(crit_world_member_count(f->w), 2);
    size_t i = 99;
    assert_int_equal(crit_world_economy_index(&i, f->w, "JPN"), CRIT_OK);
    assert_int_equal(i, 2);
    crit_economy_def d;
    crit_economy_def_init(&d);
    assert_int_equal(crit_world_economy_get(&d, f->w, 1), CRIT_OK);
    assert_string_equal(d.code, "USA");
    assert_string_equal(d.name, "USA");
    assert_int_equal(d.member, 1);
    assert_int_equal(crit_world_economy_get(&d, f->w, 0), CRIT_OK);
    assert_int_equal(d.member, 0);
    REFUSED(f, crit_world_economy_index(&i, f->w, "KOR"), CRIT_ENOTFOUND,
            "economy 'KOR'");
    assert_int_equal(i, 2);
    REFUSED(f, crit_world_economy_index(&i, f->w, NULL), CRIT_EINVAL, "NULL");

    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "EU";
    e.name = "European Union";
    e.member = 1;
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    assert_int_equal(crit_world_economy_get(&d, w, 0), CRIT_OK);
    assert_string_equal(d.name, "European Union");
    assert_int_equal(d.member, 1);
    crit_world_free(w);
}

static void test_world_iterate_by_index(void **state)
{
    struct fx *f = *state;
    const char *eco[] = {"CHN", "USA", "JPN", "ROW"};
    const char *min[] = {"Ga", "NdPr"};
    for (size_t i = 0; i < crit_world_economy_count(f->w); i++) {
        crit_economy_def d;
        crit_economy_def_init(&d);
        assert_int_equal(crit_world_economy_get(&d, f->w, i), CRIT_OK);
        assert_string_equal(d.code, eco[i]);
        assert_string_equal(crit_world_economy_code(f->w, i), eco[i]);
    }
    for (size_t k = 0; k < crit_world_mineral_count(f->w); k++)
        assert_string_equal(crit_world_mineral_code(f->w, k), min[k]);
    assert_null(crit_world_economy_code(f->w, 4));
    assert_null(crit_world_mineral_code(f->w, 2));
    assert_null(crit_world_economy_code(NULL, 0));
    assert_null(crit_world_mineral_code(NULL, 0));

    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "untouched";
    REFUSED(f, crit_world_mineral_get(&m, f->w, 2), CRIT_ERANGE, "index 2",
            "has 2");
    assert_string_equal(m.code, "untouched");
    crit_economy_def e;
    crit_economy_def_init(&e);
    REFUSED(f, crit_world_economy_get(&e, f->w, 4), CRIT_ERANGE, "index 4",
            "has 4");
    REFUSED(f, crit_world_economy_get(&e, f->w, SIZE_MAX), CRIT_ERANGE,
            "out of range");
    REFUSED(f, crit_world_economy_get(NULL, f->w, 0), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_mineral_get(&m, NULL, 0), CRIT_EINVAL, "NULL");
}

/* The getters' out-structs: too small is refused; a newer caller's larger
 * struct is filled up to what this library knows, its tail left alone,
 * and no error is recorded for a call that succeeds. */
struct mineral_def_plus {
    crit_mineral_def def;
    uint64_t added_later;
};
struct curve_def_plus {
    crit_curve_def def;
    uint64_t added_later;
};
struct economy_def_plus {
    crit_economy_def def;
    uint64_t added_later;
};

static void test_world_get_struct_sizes(void **state)
{
    struct fx *f = *state;
    struct mineral_def_plus mp;
    crit_mineral_def_init(&mp.def);
    mp.def.size = sizeof mp;
    mp.added_later = 0x1234;
    crit_error_clear();
    assert_int_equal(crit_world_mineral_get(&mp.def, f->w, 0), CRIT_OK);
    assert_string_equal(mp.def.code, "Ga");
    assert_int_equal(mp.added_later, 0x1234);
    assert_int_equal(crit_error_last_code(), CRIT_OK);
    assert_string_equal(crit_error_last(), "");

    struct economy_def_plus ep;
    crit_economy_def_init(&ep.def);
    ep.def.size = sizeof ep;
    ep.added_later = 7;
    assert_int_equal(crit_world_economy_get(&ep.def, f->w, 3), CRIT_OK);
    assert_string_equal(ep.def.code, "ROW");
    assert_int_equal(ep.added_later, 7);

    struct curve_def_plus cp;
    crit_curve_def_init(&cp.def);
    cp.def.size = sizeof cp;
    cp.added_later = 9;
    assert_int_equal(crit_world_curve_get(&cp.def, f->w, "CHN", "Ga"), CRIT_OK);
    assert_true(cp.def.base_production_t_per_yr == 750);
    assert_int_equal(cp.added_later, 9);
    assert_int_equal(crit_error_last_code(), CRIT_OK);

    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.size = sizeof(size_t);
    REFUSED(f, crit_world_mineral_get(&m, f->w, 0), CRIT_EINVAL,
            "mineral definition", "size 8");
    assert_null(m.code);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.size = 0;
    REFUSED(f, crit_world_economy_get(&e, f->w, 0), CRIT_EINVAL,
            "economy definition", "size 0");
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.size = 16;
    REFUSED(f, crit_world_curve_get(&c, f->w, "CHN", "Ga"), CRIT_EINVAL,
            "curve definition", "size 16");
    assert_true(c.base_production_t_per_yr == 0);
}

static void test_world_def_init(void **state)
{
    (void)state;
    crit_mineral_def m;
    memset(&m, 0xff, sizeof m);
    crit_mineral_def_init(&m);
    assert_int_equal(m.size, sizeof m);
    assert_null(m.code);
    assert_null(m.name);
    assert_null(m.basis);
    assert_true(m.base_price_usd_per_t == 0 && m.choke_price_usd_per_t == 0 &&
                m.holding_cost_usd_per_t_yr == 0);
    crit_economy_def e;
    memset(&e, 0xff, sizeof e);
    crit_economy_def_init(&e);
    assert_int_equal(e.size, sizeof e);
    assert_null(e.code);
    assert_int_equal(e.member, 0);
    crit_curve_def c;
    memset(&c, 0xff, sizeof c);
    crit_curve_def_init(&c);
    assert_int_equal(c.size, sizeof c);
    assert_true(c.base_production_t_per_yr == 0 && c.capacity_t_per_yr == 0 &&
                c.supply_elasticity == 0 && c.base_demand_t_per_yr == 0 &&
                c.demand_elasticity == 0);
    crit_mineral_def_init(NULL);
    crit_economy_def_init(NULL);
    crit_curve_def_init(NULL);
}

/* ---- codes -------------------------------------------------------------- */

static void test_world_economy_codes_good(void **state)
{
    (void)state;
    const char *good[] = {
        "US", "EU", "ROW", "A1", "X_Y", "CHN2", "ABCDEFGHIJKLMNOP"};
    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    for (size_t n = 0; n < sizeof good / sizeof good[0]; n++) {
        add_economy(w, good[n], 0);
        size_t i;
        assert_int_equal(crit_world_economy_index(&i, w, good[n]), CRIT_OK);
        assert_int_equal(i, n);
    }
    crit_world_free(w);
}

static void test_world_economy_codes_bad(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"",    "U",    "usa",  "Usa",  "1US",
                         "_US", "US-A", "US A", "US.A", "ABCDEFGHIJKLMNOPQ"};
    crit_economy_def d;
    crit_economy_def_init(&d);
    for (size_t n = 0; n < sizeof bad / sizeof bad[0]; n++) {
        d.code = bad[n];
        char quoted[64];
        snprintf(quoted, sizeof quoted, "code '%s'", bad[n]);
        REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, quoted,
                "malformed");
    }
    d.code = NULL;
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, "code is NULL");
}

static void test_world_mineral_codes_good(void **state)
{
    (void)state;
    const char *good[] = {
        "Ga",       "g",      "NdPr",     "PGM",
        "graphite", "Li2CO3", "Ga-2.x_y", "abcdefghijklmnopqrstuvwxyzABCDE"};
    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    for (size_t n = 0; n < sizeof good / sizeof good[0]; n++) {
        add_mineral(w, good[n], 1, 0);
        assert_string_equal(crit_world_mineral_code(w, n), good[n]);
    }
    crit_world_free(w);
}

static void test_world_mineral_codes_bad(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"",     "1Ga",  "_Ga",
                         ".Ga",  "-Ga",  "Ga b",
                         "Ga/x", "Ga\n", "abcdefghijklmnopqrstuvwxyzABCDEF"};
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.base_price_usd_per_t = 1;
    for (size_t n = 0; n < sizeof bad / sizeof bad[0]; n++) {
        d.code = bad[n];
        char quoted[64];
        snprintf(quoted, sizeof quoted, "code '%s'", bad[n]);
        REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, quoted,
                "malformed");
    }
    d.code = NULL;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, "code is NULL");
}

/* ---- mineral and economy validation (MODEL.md section 1) ---------------- */

static void test_world_mineral_prices_refused(void **state)
{
    struct fx *f = *state;
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Li";
    const double bad_p0[] = {NAN, INFINITY, -INFINITY, 0, -5};
    const char *shown[] = {"nan", "inf", "-inf", "base price 0",
                           "base price -5"};
    for (size_t n = 0; n < 5; n++) {
        d.base_price_usd_per_t = bad_p0[n];
        REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
                "mineral 'Li'", "base price", shown[n]);
    }
    d.base_price_usd_per_t = 100;
    d.choke_price_usd_per_t = NAN;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, "'Li'",
            "choke price nan");
    d.choke_price_usd_per_t = INFINITY;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "choke price inf");
    d.choke_price_usd_per_t = -1;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, "choke price -1");
    d.choke_price_usd_per_t = 100; /* Pmax == P0 */
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, "choke price 100",
            "base price 100");
    d.choke_price_usd_per_t = 99.5;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "choke price 99.5", "not above");
    /* At most 1e300, given or the default 10 * P0 (which must itself be
       finite). */
    d.choke_price_usd_per_t = 2e300;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "choke price 2e+300 is above 1e+300");
    d.choke_price_usd_per_t = 0;
    d.base_price_usd_per_t = 1e308;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "base price 1e+308", "too large");
    d.base_price_usd_per_t = 2e299;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "base price 2e+299", "too large", "above 1e+300");
    d.base_price_usd_per_t = 100;
    const double bad_h[] = {NAN, INFINITY, -1};
    const char *shown_h[] = {"holding cost nan", "holding cost inf",
                             "holding cost -1"};
    for (size_t n = 0; n < 3; n++) {
        d.holding_cost_usd_per_t_yr = bad_h[n];
        REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL, "'Li'",
                shown_h[n]);
    }
}

static void test_world_choke_price_default(void **state)
{
    struct fx *f = *state;
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Li";
    d.base_price_usd_per_t = 12.5;
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    d.code = "Co";
    d.choke_price_usd_per_t = 12.5000001; /* just above P0 */
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    crit_mineral_def g;
    crit_mineral_def_init(&g);
    assert_int_equal(crit_world_mineral_get(&g, f->w, 2), CRIT_OK);
    assert_true(g.choke_price_usd_per_t == 125);
    assert_int_equal(crit_world_mineral_get(&g, f->w, 3), CRIT_OK);
    assert_true(g.choke_price_usd_per_t == 12.5000001);
    /* the largest choke price, given and by default */
    d.code = "Ni";
    d.choke_price_usd_per_t = 1e300;
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    d.code = "Mn";
    d.base_price_usd_per_t = 1e299;
    d.choke_price_usd_per_t = 0;
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    assert_int_equal(crit_world_mineral_get(&g, f->w, 5), CRIT_OK);
    assert_true(g.choke_price_usd_per_t == 10 * 1e299);
    /* The bound on 10 P0 is for the default only: a base price whose ten
       times is above 1e300 is fine with a choke price given. */
    d.code = "Sn";
    d.base_price_usd_per_t = 2e299;
    d.choke_price_usd_per_t = 5e299;
    assert_int_equal(crit_world_add_mineral(f->w, &d), CRIT_OK);
    assert_int_equal(crit_world_mineral_get(&g, f->w, 6), CRIT_OK);
    assert_true(g.base_price_usd_per_t == 2e299);
    assert_true(g.choke_price_usd_per_t == 5e299);
}

static void test_world_mineral_def_refused(void **state)
{
    struct fx *f = *state;
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.base_price_usd_per_t = 1;
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EEXISTS, "mineral 'Ga'",
            "already");
    REFUSED(f, crit_world_add_mineral(f->w, NULL), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_add_mineral(NULL, &d), CRIT_EINVAL, "NULL");
    d.code = "Li";
    d.size = sizeof(size_t);
    REFUSED(f, crit_world_add_mineral(f->w, &d), CRIT_EINVAL,
            "mineral definition", "size 8");
    struct mineral_def_plus p;
    memset(&p, 0, sizeof p);
    p.def = d;
    p.def.size = sizeof p;
    p.added_later = 1;
    char byte[32];
    snprintf(byte, sizeof byte, "byte %zu", sizeof(crit_mineral_def));
    REFUSED(f, crit_world_add_mineral(f->w, &p.def), CRIT_EUNSUPPORTED,
            "mineral definition", byte);
    p.added_later = 0; /* a zero tail is what a newer caller's default is */
    assert_int_equal(crit_world_add_mineral(f->w, &p.def), CRIT_OK);
    assert_int_equal(crit_world_mineral_count(f->w), 3);
}

static void test_world_economy_def_refused(void **state)
{
    struct fx *f = *state;
    crit_economy_def d;
    crit_economy_def_init(&d);
    d.code = "USA";
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EEXISTS, "economy 'USA'",
            "already");
    d.code = "KOR";
    d.member = 2;
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, "member", "'KOR'",
            "2 is not 0 or 1");
    d.member = -1;
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, "member",
            "-1 is not 0 or 1");
    d.member = 0;
    REFUSED(f, crit_world_add_economy(f->w, NULL), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_add_economy(NULL, &d), CRIT_EINVAL, "NULL");
    d.size = 4;
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL,
            "economy definition", "size 4");
    struct economy_def_plus p;
    memset(&p, 0, sizeof p);
    p.def = d;
    p.def.size = sizeof p;
    p.added_later = 0xff00;
    REFUSED(f, crit_world_add_economy(f->w, &p.def), CRIT_EUNSUPPORTED,
            "economy definition", "byte");
}

static void test_world_set_member(void **state)
{
    struct fx *f = *state;
    assert_int_equal(crit_world_set_member(f->w, "CHN", 1), CRIT_OK);
    assert_int_equal(crit_world_member_count(f->w), 3);
    assert_int_equal(crit_world_set_member(f->w, "USA", 0), CRIT_OK);
    assert_int_equal(crit_world_set_member(f->w, "USA", 0), CRIT_OK);
    assert_int_equal(crit_world_member_count(f->w), 2);
    crit_economy_def d;
    crit_economy_def_init(&d);
    assert_int_equal(crit_world_economy_get(&d, f->w, 0), CRIT_OK);
    assert_int_equal(d.member, 1);
    assert_int_equal(crit_world_set_member(f->w, "CHN", 0), CRIT_OK);
    assert_int_equal(crit_world_set_member(f->w, "USA", 1), CRIT_OK);
    assert_true(crit_world_equal(f->w, f->before));
    REFUSED(f, crit_world_set_member(f->w, "CHN", 2), CRIT_EINVAL, "'CHN'",
            "2 is not 0 or 1");
    REFUSED(f, crit_world_set_member(f->w, "KOR", 1), CRIT_ENOTFOUND,
            "economy 'KOR'");
    REFUSED(f, crit_world_set_member(NULL, "CHN", 1), CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_set_member(f->w, NULL, 1), CRIT_EINVAL, "NULL");
}

/* ---- curves ------------------------------------------------------------- */

static void test_world_curve_roundtrip(void **state)
{
    struct fx *f = *state;
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, f->w, "CHN", "Ga"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 750);
    assert_true(c.capacity_t_per_yr == 900);
    assert_true(c.supply_elasticity == 0.5);
    assert_true(c.base_demand_t_per_yr == 400);
    assert_true(c.demand_elasticity == 0.3);
    /* Never set: all zero. */
    c.capacity_t_per_yr = 1;
    assert_int_equal(crit_world_curve_get(&c, f->w, "USA", "NdPr"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 0 && c.capacity_t_per_yr == 0 &&
                c.supply_elasticity == 0 && c.base_demand_t_per_yr == 0 &&
                c.demand_elasticity == 0);
    /* K == s0 is allowed; a new curve replaces the old one. */
    set_curve(f->w, "CHN", "Ga", 800, 800, 0, 0, 0);
    assert_int_equal(crit_world_curve_get(&c, f->w, "CHN", "Ga"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 800 &&
                c.capacity_t_per_yr == 800 && c.base_demand_t_per_yr == 0);
    assert_false(crit_world_equal(f->w, f->before));
}

static void test_world_curve_values_refused(void **state)
{
    struct fx *f = *state;
    const char *field[] = {"base production", "capacity", "supply elasticity",
                           "base demand", "demand elasticity"};
    const double bad[] = {NAN, INFINITY, -INFINITY, -1};
    const char *shown[] = {"nan", "inf", "-inf", "-1"};
    for (size_t fi = 0; fi < 5; fi++)
        for (size_t b = 0; b < 4; b++) {
            crit_curve_def c;
            crit_curve_def_init(&c);
            c.base_production_t_per_yr = 10;
            c.capacity_t_per_yr = 20;
            c.supply_elasticity = 0.5;
            c.base_demand_t_per_yr = 30;
            c.demand_elasticity = 0.5;
            double *v[] = {&c.base_production_t_per_yr, &c.capacity_t_per_yr,
                           &c.supply_elasticity, &c.base_demand_t_per_yr,
                           &c.demand_elasticity};
            *v[fi] = bad[b];
            char want[64];
            snprintf(want, sizeof want, "%s %s", field[fi], shown[b]);
            REFUSED(f, crit_world_set_curve(f->w, "JPN", "Ga", &c), CRIT_EINVAL,
                    "economy 'JPN' mineral 'Ga'", want);
        }
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 750;
    c.capacity_t_per_yr = 600;
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Ga", &c), CRIT_EINVAL,
            "economy 'CHN' mineral 'Ga'", "capacity 600",
            "base production 750");
    c.capacity_t_per_yr = 0; /* s0 without capacity */
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Ga", &c), CRIT_EINVAL,
            "capacity 0");
    c.capacity_t_per_yr = 900;
    REFUSED(f, crit_world_set_curve(f->w, "KOR", "Ga", &c), CRIT_ENOTFOUND,
            "economy 'KOR'");
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Li", &c), CRIT_ENOTFOUND,
            "mineral 'Li'");
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Ga", NULL), CRIT_EINVAL,
            "NULL");
    REFUSED(f, crit_world_set_curve(NULL, "CHN", "Ga", &c), CRIT_EINVAL,
            "NULL");
    c.size = 8;
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Ga", &c), CRIT_EINVAL,
            "curve definition", "size 8");
    struct curve_def_plus p;
    memset(&p, 0, sizeof p);
    p.def = c;
    p.def.size = sizeof p;
    p.added_later = 3;
    REFUSED(f, crit_world_set_curve(f->w, "CHN", "Ga", &p.def),
            CRIT_EUNSUPPORTED, "curve definition", "byte");
    crit_curve_def out;
    crit_curve_def_init(&out);
    REFUSED(f, crit_world_curve_get(&out, f->w, "CHN", "Li"), CRIT_ENOTFOUND,
            "'Li'");
    REFUSED(f, crit_world_curve_get(NULL, f->w, "CHN", "Ga"), CRIT_EINVAL,
            "NULL");
}

/* ---- trade (MODEL.md section 2) ----------------------------------------- */

static void test_world_wedge_sums(void **state)
{
    struct fx *f = *state;
    double t = -1, tf = -1, x = -1, c = -1;
    int32_t allowed = -1;
    /* CHN->USA: transport 50, tariff 10 + 0.25 * 500, export tax 5. */
    assert_int_equal(crit_world_arc_get(&t, &tf, &x, f->w, "Ga", "CHN", "USA"),
                     CRIT_OK);
    assert_true(t == 50);
    assert_true(tf == 135); /* ad valorem converted at P0 */
    assert_true(x == 5);
    assert_int_equal(
        crit_world_arc_wedge(&c, &allowed, f->w, "Ga", "CHN", "USA"), CRIT_OK);
    assert_true(c == 190);
    assert_int_equal(allowed, 1);
    /* The reverse arc has none of it; CHN->JPN has only the export tax. */
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "Ga", "USA", "CHN"),
                     CRIT_OK);
    assert_true(c == 0);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "Ga", "CHN", "JPN"),
                     CRIT_OK);
    assert_true(c == 5);
    /* Other minerals are separate. */
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "NdPr", "CHN", "USA"),
                     CRIT_OK);
    assert_true(c == 0);
    /* Ad valorem export tax at P0 = 100000: 1000 + 0.1 * 100000. */
    assert_int_equal(crit_world_set_export_tax(f->w, "NdPr", "ROW", 1000, 0.1),
                     CRIT_OK);
    assert_int_equal(
        crit_world_arc_get(NULL, NULL, &x, f->w, "NdPr", "ROW", "JPN"),
        CRIT_OK);
    assert_true(x == 11000);
    assert_int_equal(crit_world_set_tariff(f->w, "NdPr", "ROW", "JPN", 0, 0.05),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(f->w, "NdPr", "ROW", "JPN", 120),
                     CRIT_OK);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "NdPr", "ROW", "JPN"),
                     CRIT_OK);
    assert_true(c == 120 + 11000 + 5000);
    /* Replacing a component replaces, not adds. */
    assert_int_equal(crit_world_set_transport(f->w, "NdPr", "ROW", "JPN", 20),
                     CRIT_OK);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "NdPr", "ROW", "JPN"),
                     CRIT_OK);
    assert_true(c == 20 + 11000 + 5000);
}

static void test_world_trade_values_refused(void **state)
{
    struct fx *f = *state;
    const double bad[] = {NAN, INFINITY, -INFINITY};
    const char *shown[] = {"nan", "inf", "-inf"};
    for (size_t b = 0; b < 3; b++) {
        char want[64];
        snprintf(want, sizeof want, "transport cost %s", shown[b]);
        REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", "USA", bad[b]),
                CRIT_EINVAL, "mineral 'Ga' arc CHN->USA", want);
        snprintf(want, sizeof want, "tariff %s", shown[b]);
        REFUSED(f, crit_world_set_tariff(f->w, "Ga", "CHN", "USA", bad[b], 0),
                CRIT_EINVAL, "arc CHN->USA", want);
        snprintf(want, sizeof want, "ad valorem tariff %s", shown[b]);
        REFUSED(f, crit_world_set_tariff(f->w, "Ga", "CHN", "USA", 0, bad[b]),
                CRIT_EINVAL, want);
        snprintf(want, sizeof want, "export tax %s", shown[b]);
        REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", bad[b], 0),
                CRIT_EINVAL, "'Ga'", "CHN", want);
        snprintf(want, sizeof want, "ad valorem export tax %s", shown[b]);
        REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", 0, bad[b]),
                CRIT_EINVAL, want);
        snprintf(want, sizeof want, "export quota %s", shown[b]);
        REFUSED(f, crit_world_set_export_quota(f->w, "Ga", "CHN", bad[b]),
                CRIT_EINVAL, "economy 'CHN' mineral 'Ga'", want);
    }
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", "USA", -1),
            CRIT_EINVAL, "transport cost -1", ">= 0");
    REFUSED(f, crit_world_set_tariff(f->w, "Ga", "CHN", "USA", -2, 0),
            CRIT_EINVAL, "tariff -2");
    REFUSED(f, crit_world_set_tariff(f->w, "Ga", "CHN", "USA", 0, -0.1),
            CRIT_EINVAL, "ad valorem tariff -0.1");
    REFUSED(f, crit_world_set_export_quota(f->w, "Ga", "CHN", -3), CRIT_EINVAL,
            "export quota -3");
    /* A huge but finite ad valorem rate whose USD/t value overflows. */
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", 0, 1e306),
            CRIT_EINVAL, "export tax inf");
    REFUSED(f, crit_world_set_tariff(f->w, "Ga", "CHN", "USA", 0, 1e306),
            CRIT_EINVAL, "arc CHN->USA", "wedge inf");
}

static void test_world_arcs_need_two_known_economies(void **state)
{
    struct fx *f = *state;
    double v;
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", "CHN", 1),
            CRIT_EINVAL, "two different economies", "'CHN'");
    REFUSED(f, crit_world_set_tariff(f->w, "Ga", "USA", "USA", 1, 0),
            CRIT_EINVAL, "'USA' twice");
    REFUSED(f, crit_world_set_export_ban(f->w, "Ga", "JPN", "JPN", 1),
            CRIT_EINVAL, "'JPN' twice");
    REFUSED(f, crit_world_set_import_ban(f->w, "Ga", "JPN", "JPN", 1),
            CRIT_EINVAL, "'JPN' twice");
    REFUSED(f, crit_world_arc_get(&v, NULL, NULL, f->w, "Ga", "ROW", "ROW"),
            CRIT_EINVAL, "'ROW' twice");
    REFUSED(f, crit_world_arc_wedge(&v, NULL, f->w, "Ga", "ROW", "ROW"),
            CRIT_EINVAL, "'ROW' twice");
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", "KOR", 1),
            CRIT_ENOTFOUND, "economy 'KOR'");
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "KOR", "CHN", 1),
            CRIT_ENOTFOUND, "economy 'KOR'");
    REFUSED(f, crit_world_set_transport(f->w, "Li", "CHN", "USA", 1),
            CRIT_ENOTFOUND, "mineral 'Li'");
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "KOR", 1, 0),
            CRIT_ENOTFOUND, "economy 'KOR'");
    REFUSED(f, crit_world_set_export_quota(f->w, "Li", "CHN", 1),
            CRIT_ENOTFOUND, "mineral 'Li'");
    REFUSED(f, crit_world_clear_export_quota(f->w, "Ga", "KOR"), CRIT_ENOTFOUND,
            "economy 'KOR'");
    REFUSED(f, crit_world_export_quota_get(&v, f->w, "Ga", "KOR"),
            CRIT_ENOTFOUND, "economy 'KOR'");
    REFUSED(f, crit_world_export_quota_get(NULL, f->w, "Ga", "CHN"),
            CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_set_transport(NULL, "Ga", "CHN", "USA", 1),
            CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_set_transport(f->w, NULL, "CHN", "USA", 1),
            CRIT_EINVAL, "NULL");
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", NULL, 1),
            CRIT_EINVAL, "NULL");
}

static void test_world_export_subsidy_keeps_wedges_nonnegative(void **state)
{
    struct fx *f = *state;
    /* Give every arc out of CHN a transport cost: 50 (USA, plus tariff
     * 135), 80 (JPN), 60 (ROW). */
    assert_int_equal(crit_world_set_transport(f->w, "Ga", "CHN", "JPN", 80),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(f->w, "Ga", "CHN", "ROW", 60),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(f->w, "Ga", "CHN", -60, 0),
                     CRIT_OK);
    double c;
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "Ga", "CHN", "ROW"),
                     CRIT_OK);
    assert_true(c == 0);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, f->w, "Ga", "CHN", "USA"),
                     CRIT_OK);
    assert_true(c == 125);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);

    /* One more dollar of subsidy takes CHN->ROW below zero. */
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", -61, 0),
            CRIT_EINVAL, "mineral 'Ga' arc CHN->ROW", "wedge -1", "below zero");
    /* So does an ad valorem subsidy: -0.2 * 500 = -100. */
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", 0, -0.2),
            CRIT_EINVAL, "arc CHN->", "below zero");
    /* Lowering a transport cost under the subsidy is refused too. */
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "CHN", "JPN", 59),
            CRIT_EINVAL, "arc CHN->JPN", "wedge -1");
    /* A ban does not exempt an arc: lifting it must not expose it. */
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "ROW", 1),
                     CRIT_OK);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "CHN", -70, 0),
            CRIT_EINVAL, "arc CHN->ROW");
    /* Subsidies of other exporters are independent. */
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "USA", -1, 0), CRIT_EINVAL,
            "arc USA->CHN");
}

/* A new economy's arcs start with no transport or tariff: an existing
 * subsidy would make their wedge negative, so the economy is refused. */
static void test_world_add_economy_under_subsidy_refused(void **state)
{
    struct fx *f = *state;
    assert_int_equal(crit_world_set_transport(f->w, "Ga", "CHN", "JPN", 80),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(f->w, "Ga", "CHN", "ROW", 60),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(f->w, "Ga", "CHN", -40, 0),
                     CRIT_OK);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    crit_economy_def d;
    crit_economy_def_init(&d);
    d.code = "KOR";
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, "'KOR'",
            "mineral 'Ga' arc CHN->KOR", "wedge -40", "subsidy");
    /* An ad valorem subsidy counts the same: -0.08 * P0 = -40. */
    assert_int_equal(crit_world_set_export_tax(f->w, "Ga", "CHN", 0, -0.08),
                     CRIT_OK);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    REFUSED(f, crit_world_add_economy(f->w, &d), CRIT_EINVAL, "'KOR'",
            "mineral 'Ga' arc CHN->KOR", "wedge -40", "subsidy");
    /* Without a subsidy it goes in, and every arc keeps a wedge >= 0. */
    assert_int_equal(crit_world_set_export_tax(f->w, "Ga", "CHN", 0, 0),
                     CRIT_OK);
    assert_int_equal(crit_world_add_economy(f->w, &d), CRIT_OK);
    for (size_t k = 0; k < crit_world_mineral_count(f->w); k++)
        for (size_t i = 0; i < crit_world_economy_count(f->w); i++)
            for (size_t j = 0; j < crit_world_economy_count(f->w); j++) {
                if (i == j)
                    continue;
                double c;
                assert_int_equal(
                    crit_world_arc_wedge(&c, NULL, f->w,
                                         crit_world_mineral_code(f->w, k),
                                         crit_world_economy_code(f->w, i),
                                         crit_world_economy_code(f->w, j)),
                    CRIT_OK);
                assert_true(c >= 0);
            }
}

/* The check of a candidate wedge must use the same arithmetic as the
 * wedge itself: with P0 = 3, transport 0.5 and a subsidy of 0.2 + 0.1 P0,
 * (0.5 - 0.2) - 0.3 rounds to -5.55e-17. Either the subsidy is refused or
 * the wedge the world reports is >= 0; never a negative wedge. */
static void test_world_wedge_check_matches_rounding(void **state)
{
    (void)state;
    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    add_mineral(w, "X", 3, 0);
    add_economy(w, "AA", 0);
    add_economy(w, "BB", 0);
    assert_int_equal(crit_world_set_transport(w, "X", "AA", "BB", 0.5),
                     CRIT_OK);
    int rc = crit_world_set_export_tax(w, "X", "AA", -0.2, -0.1);
    double c;
    assert_int_equal(crit_world_arc_wedge(&c, NULL, w, "X", "AA", "BB"),
                     CRIT_OK);
    assert_true(c >= 0);
    assert_int_equal(rc, CRIT_EINVAL);

    /* The same through set_tariff and set_transport: a tariff of 0.1 P0
     * with transport 0.6 and subsidy -1.1 (all else zero). */
    crit_world *v;
    assert_int_equal(crit_world_new(&v), CRIT_OK);
    add_mineral(v, "X", 1, 0);
    add_economy(v, "AA", 0);
    add_economy(v, "BB", 0);
    assert_int_equal(crit_world_set_transport(v, "X", "AA", "BB", 0.6),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(v, "X", "AA", "BB", 0.4, 0.1),
                     CRIT_OK);
    rc = crit_world_set_export_tax(v, "X", "AA", -1.1, 0);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, v, "X", "AA", "BB"),
                     CRIT_OK);
    assert_true(c >= 0);
    assert_int_equal(rc, CRIT_EINVAL);
    crit_world_free(w);
    crit_world_free(v);
}

/* The check of set_transport counts the ad valorem tariff, and that of
 * set_tariff the ad valorem export tax: with P0 = 800, a tariff rate of
 * 0.0625 is 50 USD/t and a tax rate of -0.125 is -100 USD/t (exact). */
static void test_world_wedge_checks_count_ad_valorem_parts(void **state)
{
    (void)state;
    struct fx g = {NULL, NULL};
    assert_int_equal(crit_world_new(&g.w), CRIT_OK);
    add_mineral(g.w, "X", 800, 0);
    add_economy(g.w, "AA", 0);
    add_economy(g.w, "BB", 0);
    assert_int_equal(crit_world_set_tariff(g.w, "X", "AA", "BB", 0, 0.0625),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(g.w, "X", "AA", "BB", 50),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(g.w, "X", "AA", -100, 0),
                     CRIT_OK);
    /* 60 + 50 - 100 = 10: allowed, thanks to the ad valorem tariff. */
    assert_int_equal(crit_world_set_transport(g.w, "X", "AA", "BB", 60),
                     CRIT_OK);
    double c = -1;
    assert_int_equal(crit_world_arc_wedge(&c, NULL, g.w, "X", "AA", "BB"),
                     CRIT_OK);
    assert_true(c == 10);
    /* The subsidy as a rate: -0.125 * 800 = -100, the same wedge. */
    assert_int_equal(crit_world_set_export_tax(g.w, "X", "AA", 0, -0.125),
                     CRIT_OK);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, g.w, "X", "AA", "BB"),
                     CRIT_OK);
    assert_true(c == 10);
    assert_int_equal(crit_world_copy(&g.before, g.w), CRIT_OK);
    /* 49 + 50 - 100 = -1: refused. */
    REFUSED(&g, crit_world_set_transport(g.w, "X", "AA", "BB", 49), CRIT_EINVAL,
            "mineral 'X' arc AA->BB", "wedge -1", "below zero");
    /* A specific tariff of 39 in place of the 50: 60 + 39 - 100 = -1. */
    REFUSED(&g, crit_world_set_tariff(g.w, "X", "AA", "BB", 39, 0), CRIT_EINVAL,
            "mineral 'X' arc AA->BB", "wedge -1", "below zero");
    /* 60 + 40 - 100 = 0: allowed. */
    assert_int_equal(crit_world_set_tariff(g.w, "X", "AA", "BB", 40, 0),
                     CRIT_OK);
    assert_int_equal(crit_world_arc_wedge(&c, NULL, g.w, "X", "AA", "BB"),
                     CRIT_OK);
    assert_true(c == 0);
    crit_world_free(g.w);
    crit_world_free(g.before);
}

/* Huge finite components whose sum overflows are refused by every setter,
 * not only set_tariff. */
static void test_world_wedge_overflow_refused(void **state)
{
    struct fx *f = *state;
    assert_int_equal(crit_world_set_tariff(f->w, "Ga", "JPN", "ROW", 1e308, 0),
                     CRIT_OK);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    REFUSED(f, crit_world_set_transport(f->w, "Ga", "JPN", "ROW", 1e308),
            CRIT_EINVAL, "arc JPN->ROW", "wedge inf");
    REFUSED(f, crit_world_set_export_tax(f->w, "Ga", "JPN", 1e308, 0),
            CRIT_EINVAL, "arc JPN->ROW", "wedge inf");
}

static void test_world_bans_kept_separately(void **state)
{
    struct fx *f = *state;
    int32_t allowed = -1;
    double c = -1;
    /* One ban alone, lifted, opens the arc again and leaves nothing
     * behind. */
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "JPN", 1),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "JPN"), 0);
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "JPN", 0),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "JPN"), 1);
    assert_int_equal(crit_world_set_import_ban(f->w, "Ga", "JPN", "CHN", 1),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "JPN"), 0);
    assert_int_equal(crit_world_set_import_ban(f->w, "Ga", "JPN", "CHN", 0),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "JPN"), 1);
    assert_true(crit_world_equal(f->w, f->before));
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "USA", 1),
                     CRIT_OK);
    assert_int_equal(
        crit_world_arc_wedge(&c, &allowed, f->w, "Ga", "CHN", "USA"), CRIT_OK);
    assert_int_equal(allowed, 0);
    assert_true(c == 190); /* a ban does not change the wedge */
    /* Only that arc and that mineral. */
    assert_int_equal(arc_open(f->w, "Ga", "USA", "CHN"), 1);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "JPN"), 1);
    assert_int_equal(arc_open(f->w, "NdPr", "CHN", "USA"), 1);
    /* USA also bans imports from CHN; lifting CHN's ban leaves USA's. */
    assert_int_equal(crit_world_set_import_ban(f->w, "Ga", "USA", "CHN", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "USA", 0),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "USA"), 0);
    /* An import ban of USA closes CHN->USA, not USA->CHN. */
    assert_int_equal(arc_open(f->w, "Ga", "USA", "CHN"), 1);
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "USA", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_import_ban(f->w, "Ga", "USA", "CHN", 0),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "USA"), 0);
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "USA", 0),
                     CRIT_OK);
    assert_int_equal(arc_open(f->w, "Ga", "CHN", "USA"), 1);
    assert_true(crit_world_equal(f->w, f->before));
    REFUSED(f, crit_world_set_export_ban(f->w, "Ga", "CHN", "USA", 2),
            CRIT_EINVAL, "export ban", "'Ga'", "2 is not 0 or 1");
    REFUSED(f, crit_world_set_import_ban(f->w, "Ga", "USA", "CHN", -1),
            CRIT_EINVAL, "import ban", "-1 is not 0 or 1");
    REFUSED(f, crit_world_set_import_ban(f->w, "Ga", "USA", "KOR", 1),
            CRIT_ENOTFOUND, "'KOR'");
}

static void test_world_export_quota(void **state)
{
    struct fx *f = *state;
    double q = 0;
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "Ga", "CHN"),
                     CRIT_OK);
    assert_true(isinf(q) && q > 0); /* none: +infinity */
    assert_int_equal(crit_world_set_export_quota(f->w, "Ga", "CHN", 250),
                     CRIT_OK);
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "Ga", "CHN"),
                     CRIT_OK);
    assert_true(q == 250);
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "NdPr", "CHN"),
                     CRIT_OK);
    assert_true(isinf(q));
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "Ga", "USA"),
                     CRIT_OK);
    assert_true(isinf(q));
    assert_int_equal(crit_world_set_export_quota(f->w, "Ga", "CHN", 0),
                     CRIT_OK);
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "Ga", "CHN"),
                     CRIT_OK);
    assert_true(q == 0);
    assert_false(crit_world_equal(f->w, f->before));
    assert_int_equal(crit_world_clear_export_quota(f->w, "Ga", "CHN"), CRIT_OK);
    assert_int_equal(crit_world_export_quota_get(&q, f->w, "Ga", "CHN"),
                     CRIT_OK);
    assert_true(isinf(q) && q > 0);
    assert_int_equal(crit_world_clear_export_quota(f->w, "Ga", "CHN"),
                     CRIT_OK); /* no-op */
    assert_true(crit_world_equal(f->w, f->before));
    REFUSED(f, crit_world_set_export_quota(f->w, "Ga", "CHN", INFINITY),
            CRIT_EINVAL, "export quota inf");
}

/* ---- copy and equality -------------------------------------------------- */

static void test_world_copy_is_deep(void **state)
{
    struct fx *f = *state;
    crit_world *c = NULL;
    assert_int_equal(crit_world_copy(&c, f->w), CRIT_OK);
    assert_true(crit_world_equal(c, f->w));
    assert_true(crit_world_equal(f->w, c));
    /* Mutate every kind of data of the copy. */
    set_curve(c, "CHN", "Ga", 1, 2, 3, 4, 5);
    assert_false(crit_world_equal(c, f->w));
    assert_int_equal(crit_world_set_transport(c, "Ga", "CHN", "USA", 51),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(c, "Ga", "CHN", "USA", 1, 0),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(c, "Ga", "CHN", 1, 0.5),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_ban(c, "Ga", "CHN", "USA", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_quota(c, "Ga", "CHN", 1), CRIT_OK);
    assert_int_equal(crit_world_set_member(c, "CHN", 1), CRIT_OK);
    add_economy(c, "KOR", 1);
    add_mineral(c, "Li", 10, 0);
    assert_true(crit_world_equal(f->w, f->before));
    assert_int_equal(crit_world_economy_count(f->w), 4);
    assert_int_equal(crit_world_mineral_count(f->w), 2);
    /* Freeing the original leaves the copy whole. */
    crit_world_free(f->w);
    f->w = NULL;
    double t;
    assert_int_equal(crit_world_arc_get(&t, NULL, NULL, c, "Ga", "CHN", "USA"),
                     CRIT_OK);
    assert_true(t == 51);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    assert_int_equal(crit_world_mineral_get(&d, c, 0), CRIT_OK);
    assert_string_equal(d.name, "gallium");
    assert_string_equal(d.basis, "contained Ga");
    crit_world_free(c);
    assert_int_equal(crit_world_copy(NULL, f->before), CRIT_EINVAL);
    c = (crit_world *)&fa;
    assert_int_equal(crit_world_copy(&c, NULL), CRIT_EINVAL);
    assert_ptr_equal(c, (crit_world *)&fa);
}

static void test_world_copy_of_empty_world(void **state)
{
    (void)state;
    crit_world *w, *c;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    assert_int_equal(crit_world_copy(&c, w), CRIT_OK);
    assert_true(crit_world_equal(w, c));
    add_economy(c, "AA", 0);
    add_mineral(c, "X", 1, 0);
    assert_false(crit_world_equal(w, c));
    crit_world_free(w);
    crit_world_free(c);
}

static void test_world_equal(void **state)
{
    struct fx *f = *state;
    assert_false(crit_world_equal(NULL, f->w));
    assert_false(crit_world_equal(f->w, NULL));
    assert_false(crit_world_equal(NULL, NULL));
    assert_true(crit_world_equal(f->w, f->w));
    /* Same data built in the same order by other means: equal. */
    crit_world *g;
    assert_int_equal(crit_world_new(&g), CRIT_OK);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.name = "gallium";
    d.basis = "contained Ga";
    d.base_price_usd_per_t = 500;
    d.choke_price_usd_per_t = 5000; /* explicit, same as the default */
    d.holding_cost_usd_per_t_yr = 20;
    assert_int_equal(crit_world_add_mineral(g, &d), CRIT_OK);
    add_mineral(g, "NdPr", 100000, 300000);
    add_economy(g, "CHN", 0);
    add_economy(g, "USA", 1);
    add_economy(g, "JPN", 1);
    add_economy(g, "ROW", 0);
    set_curve(g, "CHN", "Ga", 750, 900, 0.5, 400, 0.3);
    set_curve(g, "USA", "Ga", 0, 0, 0, 20, 0.2);
    set_curve(g, "JPN", "Ga", 10, 15, 0.4, 60, 0.25);
    set_curve(g, "ROW", "NdPr", 30000, 40000, 1, 20000, 0.5);
    assert_int_equal(crit_world_set_transport(g, "Ga", "CHN", "USA", 50),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(g, "Ga", "CHN", "USA", 10, 0.25),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(g, "Ga", "CHN", 5, 0), CRIT_OK);
    assert_true(crit_world_equal(f->w, g));
    /* The same wedge split differently is a different world. */
    assert_int_equal(crit_world_set_tariff(g, "Ga", "CHN", "USA", 135, 0),
                     CRIT_OK);
    assert_false(crit_world_equal(f->w, g));
    crit_world_free(g);
    /* Names count. */
    assert_int_equal(crit_world_new(&g), CRIT_OK);
    crit_world *h;
    assert_int_equal(crit_world_new(&h), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "EU";
    assert_int_equal(crit_world_add_economy(g, &e), CRIT_OK);
    e.name = "Europe";
    assert_int_equal(crit_world_add_economy(h, &e), CRIT_OK);
    assert_false(crit_world_equal(g, h));
    crit_world_free(g);
    crit_world_free(h);
}

/* The fixture's data built from scratch with one field changed (V_NONE:
 * none). With `grow_first`, a fifth economy KOR is added before any data,
 * so the tables never regrow; without, it is added last, so every table
 * is moved to a larger stride after the data is in. The mineral NdPr and
 * the economy KOR have their names given, so that a variant may change
 * their codes alone. */
enum {
    V_NONE,
    V_BASIS,
    V_HOLDING,
    V_CHOKE,
    V_ECONOMY_NAME,
    V_MEMBER,
    V_CAPACITY,
    V_DEMAND_ELASTICITY,
    V_EXPORT_TAX_RATE,
    V_EXPORT_TAX_RATE_ONLY,
    V_TARIFF_RATE,
    V_EXPORT_BAN,
    V_IMPORT_BAN,
    V_QUOTA,
    V_TRANSPORT_TO_LAST,
    V_ECONOMY_CODE,
    V_MINERAL_CODE,
    V_COUNT
};

static crit_world *build_variant(int v, int grow_first)
{
    crit_world *g;
    assert_int_equal(crit_world_new(&g), CRIT_OK);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.name = "gallium";
    d.basis = v == V_BASIS ? "gallium metal" : "contained Ga";
    d.base_price_usd_per_t = 500;
    d.choke_price_usd_per_t = v == V_CHOKE ? 5001 : 0;
    d.holding_cost_usd_per_t_yr = v == V_HOLDING ? 21 : 20;
    assert_int_equal(crit_world_add_mineral(g, &d), CRIT_OK);
    /* The codes alone differ: the names are the same. */
    d.code = v == V_MINERAL_CODE ? "Nd-Pr" : "NdPr";
    d.name = "NdPr";
    d.basis = NULL;
    d.base_price_usd_per_t = 100000;
    d.choke_price_usd_per_t = 300000;
    d.holding_cost_usd_per_t_yr = 0;
    assert_int_equal(crit_world_add_mineral(g, &d), CRIT_OK);
    const char *nd = d.code;
    add_economy(g, "CHN", 0);
    add_economy(g, "USA", 1);
    add_economy(g, "JPN", v == V_MEMBER ? 0 : 1);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "ROW";
    e.name = v == V_ECONOMY_NAME ? "rest of the world" : NULL;
    assert_int_equal(crit_world_add_economy(g, &e), CRIT_OK);
    crit_economy_def kor;
    crit_economy_def_init(&kor);
    kor.code = v == V_ECONOMY_CODE ? "PRK" : "KOR";
    kor.name = "KOR";
    if (grow_first)
        assert_int_equal(crit_world_add_economy(g, &kor), CRIT_OK);
    set_curve(g, "CHN", "Ga", 750, 900, 0.5, 400, 0.3);
    set_curve(g, "USA", "Ga", 0, 0, 0, 20, 0.2);
    set_curve(g, "JPN", "Ga", 10, v == V_CAPACITY ? 16 : 15, 0.4, 60, 0.25);
    set_curve(g, "ROW", nd, 30000, 40000, 1, 20000,
              v == V_DEMAND_ELASTICITY ? 0.6 : 0.5);
    assert_int_equal(crit_world_set_transport(g, "Ga", "CHN", "USA", 50),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(g, "Ga", "CHN", "USA", 10,
                                           v == V_TARIFF_RATE ? 0.5 : 0.25),
                     CRIT_OK);
    /* 0.01 * P0 is the same 5 USD/t, split differently. */
    if (v == V_EXPORT_TAX_RATE)
        assert_int_equal(crit_world_set_export_tax(g, "Ga", "CHN", 0, 0.01),
                         CRIT_OK);
    else if (v == V_EXPORT_TAX_RATE_ONLY)
        assert_int_equal(crit_world_set_export_tax(g, "Ga", "CHN", 5, 0.02),
                         CRIT_OK);
    else
        assert_int_equal(crit_world_set_export_tax(g, "Ga", "CHN", 5, 0),
                         CRIT_OK);
    /* The same arc closed by either side's ban. */
    if (v == V_EXPORT_BAN)
        assert_int_equal(crit_world_set_export_ban(g, nd, "ROW", "JPN", 1),
                         CRIT_OK);
    if (v == V_IMPORT_BAN)
        assert_int_equal(crit_world_set_import_ban(g, nd, "JPN", "ROW", 1),
                         CRIT_OK);
    if (v == V_QUOTA)
        assert_int_equal(crit_world_set_export_quota(g, nd, "ROW", 100),
                         CRIT_OK);
    if (!grow_first)
        assert_int_equal(crit_world_add_economy(g, &kor), CRIT_OK);
    /* A wedge in the last column of the tables. */
    if (v == V_TRANSPORT_TO_LAST)
        assert_int_equal(crit_world_set_transport(g, nd, "CHN", kor.code, 7),
                         CRIT_OK);
    return g;
}

/* crit_world_equal compares every field, both ways round; a copy, and a
 * world whose tables regrew, keep every field. */
static void test_world_equal_copy_and_growth_see_every_field(void **state)
{
    (void)state;
    crit_world *w[V_COUNT];
    for (int v = 0; v < V_COUNT; v++) {
        w[v] = build_variant(v, 0);
        crit_world *pre = build_variant(v, 1), *c = NULL;
        if (!crit_world_equal(w[v], pre) || !crit_world_equal(pre, w[v]))
            fail_msg("variant %d: regrown tables differ from pre-sized", v);
        assert_int_equal(crit_world_copy(&c, w[v]), CRIT_OK);
        if (!crit_world_equal(c, w[v]) || !crit_world_equal(w[v], c))
            fail_msg("variant %d: the copy differs from the original", v);
        crit_world_free(pre);
        crit_world_free(c);
    }
    for (int a = 0; a < V_COUNT; a++)
        for (int b = 0; b < V_COUNT; b++)
            if (a != b && crit_world_equal(w[a], w[b]))
                fail_msg("variants %d and %d compare equal", a, b);
    /* The export tax split differently has the same wedge. */
    double c0 = -1, c1 = -2, x = -1;
    assert_int_equal(
        crit_world_arc_wedge(&c0, NULL, w[V_NONE], "Ga", "CHN", "USA"),
        CRIT_OK);
    assert_int_equal(crit_world_arc_wedge(&c1, NULL, w[V_EXPORT_TAX_RATE], "Ga",
                                          "CHN", "USA"),
                     CRIT_OK);
    assert_true(c0 == 50 + 5 + 10 + 0.25 * 500 && c1 == c0);
    /* And the regrown world reads back the rates. */
    assert_int_equal(crit_world_arc_get(NULL, NULL, &x, w[V_EXPORT_TAX_RATE],
                                        "Ga", "CHN", "JPN"),
                     CRIT_OK);
    assert_true(x == 5);
    assert_int_equal(crit_world_arc_get(NULL, &x, NULL, w[V_TARIFF_RATE], "Ga",
                                        "CHN", "USA"),
                     CRIT_OK);
    assert_true(x == 10 + 0.5 * 500);
    for (int v = 0; v < V_COUNT; v++)
        crit_world_free(w[v]);
}

/* ---- growth past the initial capacities --------------------------------- */

static void test_world_grows_past_initial_capacity(void **state)
{
    struct fx *f = *state;
    /* 4 economies fill the initial stride; 60 more regrow the tables of
     * both minerals several times (and the economy array past 8). */
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "JPN", "ROW", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_import_ban(f->w, "NdPr", "CHN", "ROW", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_quota(f->w, "Ga", "JPN", 7),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(f->w, "NdPr", "ROW", "USA", 33),
                     CRIT_OK);
    crit_world_free(f->before);
    assert_int_equal(crit_world_copy(&f->before, f->w), CRIT_OK);
    char code[8];
    for (int n = 0; n < 60; n++) {
        snprintf(code, sizeof code, "E%02d", n);
        add_economy(f->w, code, n % 2);
        snprintf(code, sizeof code, "E%02d", n);
        set_curve(f->w, code, "Ga", n, 2.0 * n, 0, n + 1, 0);
        if (n > 0) {
            char prev[8];
            snprintf(prev, sizeof prev, "E%02d", n - 1);
            assert_int_equal(
                crit_world_set_transport(f->w, "Ga", prev, code, n + 0.5),
                CRIT_OK);
        }
    }
    /* Then minerals past the mineral array's initial capacity. */
    for (int n = 0; n < 20; n++) {
        snprintf(code, sizeof code, "M%02d", n);
        add_mineral(f->w, code, 1 + n, 0);
        set_curve(f->w, "E59", code, 1, 1, 0, n, 0);
    }
    assert_int_equal(crit_world_economy_count(f->w), 64);
    assert_int_equal(crit_world_mineral_count(f->w), 22);
    assert_int_equal(crit_world_member_count(f->w), 2 + 30);

    /* The original data survived every regrowth. */
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, f->w, "JPN", "Ga"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 10 && c.capacity_t_per_yr == 15 &&
                c.demand_elasticity == 0.25);
    assert_int_equal(crit_world_curve_get(&c, f->w, "ROW", "NdPr"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 30000);
    double v;
    int32_t allowed;
    assert_int_equal(
        crit_world_arc_wedge(&v, &allowed, f->w, "Ga", "CHN", "USA"), CRIT_OK);
    assert_true(v == 190);
    assert_int_equal(allowed, 1);
    assert_int_equal(arc_open(f->w, "Ga", "JPN", "ROW"), 0);
    assert_int_equal(arc_open(f->w, "NdPr", "ROW", "CHN"), 0);
    assert_int_equal(arc_open(f->w, "NdPr", "CHN", "ROW"), 1);
    assert_int_equal(
        crit_world_arc_get(&v, NULL, NULL, f->w, "NdPr", "ROW", "USA"),
        CRIT_OK);
    assert_true(v == 33);
    assert_int_equal(crit_world_export_quota_get(&v, f->w, "Ga", "JPN"),
                     CRIT_OK);
    assert_true(v == 7);
    /* New economies start clean; their own data is where it was put. */
    assert_int_equal(crit_world_export_quota_get(&v, f->w, "Ga", "E30"),
                     CRIT_OK);
    assert_true(isinf(v));
    assert_int_equal(
        crit_world_arc_wedge(&v, &allowed, f->w, "Ga", "E30", "CHN"), CRIT_OK);
    assert_true(v == 0);
    assert_int_equal(allowed, 1);
    for (int n = 0; n < 60; n++) {
        snprintf(code, sizeof code, "E%02d", n);
        assert_int_equal(crit_world_curve_get(&c, f->w, code, "Ga"), CRIT_OK);
        assert_true(c.base_production_t_per_yr == n);
        assert_true(c.capacity_t_per_yr == 2.0 * n);
        assert_true(c.base_demand_t_per_yr == n + 1);
        if (n > 0) {
            char prev[8];
            snprintf(prev, sizeof prev, "E%02d", n - 1);
            assert_int_equal(
                crit_world_arc_get(&v, NULL, NULL, f->w, "Ga", prev, code),
                CRIT_OK);
            assert_true(v == n + 0.5);
        }
    }
    for (int n = 0; n < 20; n++) {
        snprintf(code, sizeof code, "M%02d", n);
        assert_int_equal(crit_world_curve_get(&c, f->w, "E59", code), CRIT_OK);
        assert_true(c.base_demand_t_per_yr == n);
        size_t k;
        assert_int_equal(crit_world_mineral_index(&k, f->w, code), CRIT_OK);
        assert_int_equal(k, 2 + (size_t)n);
    }
    /* A copy of the grown world is equal and independent. */
    crit_world *g;
    assert_int_equal(crit_world_copy(&g, f->w), CRIT_OK);
    assert_true(crit_world_equal(g, f->w));
    crit_world_free(g);
}

/* ---- allocation failure -------------------------------------------------- */

/* An out-pointer value no call may write on failure. */
#define SENTINEL ((crit_world *)&fa)

struct op_ctx {
    crit_world *w;            /* world operated on */
    const crit_world *before; /* what it must still equal on failure */
    const crit_world *src;    /* world to copy */
    crit_world *out;          /* new world, SENTINEL until success */
    const char *code;         /* code to add */
};

static int op_new(void *p)
{
    return crit_world_new(&((struct op_ctx *)p)->out);
}

static int op_copy(void *p)
{
    struct op_ctx *c = p;
    return crit_world_copy(&c->out, c->src);
}

static void out_unchanged(void *p)
{
    assert_ptr_equal(((struct op_ctx *)p)->out, SENTINEL);
}

static int op_add_mineral(void *p)
{
    struct op_ctx *c = p;
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = c->code;
    d.name = "a name";
    d.basis = "a basis";
    d.base_price_usd_per_t = 42;
    return crit_world_add_mineral(c->w, &d);
}

static int op_add_economy(void *p)
{
    struct op_ctx *c = p;
    crit_economy_def d;
    crit_economy_def_init(&d);
    d.code = c->code;
    d.name = "a name";
    d.member = 1;
    return crit_world_add_economy(c->w, &d);
}

static void world_unchanged(void *p)
{
    struct op_ctx *c = p;
    assert_true(crit_world_equal(c->w, c->before));
}

static void test_world_new_allocation_failure(void **state)
{
    (void)state;
    for (int mode = FAILALLOC_FROM; mode <= FAILALLOC_ONLY; mode++) {
        struct op_ctx c = {.out = SENTINEL};
        uint64_t n =
            failalloc_run(&fa, (failalloc_mode)mode, op_new, out_unchanged, &c);
        assert_int_equal(n, 1);
        assert_non_null(c.out);
        assert_ptr_not_equal(c.out, SENTINEL);
        assert_int_equal(crit_world_economy_count(c.out), 0);
        crit_world_free(c.out);
    }
}

/* Run an add under both failure modes, each on its own copy of `base`;
 * check the world after success has the new code. */
static void add_under_failure(const crit_world *base, int (*op)(void *),
                              const char *code, int is_mineral)
{
    for (int mode = FAILALLOC_FROM; mode <= FAILALLOC_ONLY; mode++) {
        struct op_ctx c = {.before = base, .code = code};
        assert_int_equal(crit_world_copy(&c.w, base), CRIT_OK);
        uint64_t n =
            failalloc_run(&fa, (failalloc_mode)mode, op, world_unchanged, &c);
        assert_true(n >= 2);
        assert_false(crit_world_equal(c.w, base));
        size_t i;
        if (is_mineral) {
            assert_int_equal(crit_world_mineral_index(&i, c.w, code), CRIT_OK);
            assert_int_equal(i, crit_world_mineral_count(base));
        } else {
            assert_int_equal(crit_world_economy_index(&i, c.w, code), CRIT_OK);
            assert_int_equal(i, crit_world_economy_count(base));
        }
        crit_world_free(c.w);
    }
}

static void test_world_add_mineral_allocation_failure(void **state)
{
    struct fx *f = *state;
    add_under_failure(f->before, op_add_mineral, "Li", 1);
    /* The ninth mineral also grows the mineral array. */
    crit_world *w;
    assert_int_equal(crit_world_copy(&w, f->before), CRIT_OK);
    char code[8];
    for (int n = 0; n < 6; n++) {
        snprintf(code, sizeof code, "M%d", n);
        add_mineral(w, code, 1, 0);
    }
    assert_int_equal(crit_world_mineral_count(w), 8);
    add_under_failure(w, op_add_mineral, "Li", 1);
    crit_world_free(w);
    /* And into an empty world. */
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    add_under_failure(w, op_add_mineral, "Li", 1);
    crit_world_free(w);
}

static void test_world_add_economy_allocation_failure(void **state)
{
    struct fx *f = *state;
    /* The fixture's 4 economies fill the tables: the fifth regrows the
     * tables of both minerals. */
    add_under_failure(f->before, op_add_economy, "KOR", 0);
    /* The ninth grows the economy array and regrows the tables again. */
    crit_world *w;
    assert_int_equal(crit_world_copy(&w, f->before), CRIT_OK);
    char code[8];
    for (int n = 0; n < 4; n++) {
        snprintf(code, sizeof code, "E%d", n);
        add_economy(w, code, 0);
    }
    assert_int_equal(crit_world_economy_count(w), 8);
    assert_int_equal(crit_world_set_transport(w, "NdPr", "E3", "E0", 9),
                     CRIT_OK);
    add_under_failure(w, op_add_economy, "KOR", 0);
    /* A fifth economy with no table growth needed (stride 8). */
    add_economy(w, "KOR", 0);
    add_under_failure(w, op_add_economy, "IND", 0);
    crit_world_free(w);
    /* No minerals: only the economy itself. */
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    add_under_failure(w, op_add_economy, "KOR", 0);
    crit_world_free(w);
}

static void test_world_copy_allocation_failure(void **state)
{
    struct fx *f = *state;
    /* A non-trivial world: the fixture plus a subsidy, bans, a quota and
     * more economies than the initial stride. */
    add_economy(f->w, "KOR", 1);
    add_economy(f->w, "IND", 0);
    assert_int_equal(crit_world_set_export_ban(f->w, "Ga", "CHN", "KOR", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_quota(f->w, "NdPr", "ROW", 5),
                     CRIT_OK);
    for (int mode = FAILALLOC_FROM; mode <= FAILALLOC_ONLY; mode++) {
        struct op_ctx c = {.src = f->w, .out = SENTINEL};
        uint64_t n = failalloc_run(&fa, (failalloc_mode)mode, op_copy,
                                   out_unchanged, &c);
        /* world, two arrays, 6 economies x 2 strings, 2 minerals x
         * (3 strings + tables) */
        assert_int_equal(n, 1 + 2 + 6 * 2 + 2 * 4);
        assert_true(crit_world_equal(c.out, f->w));
        crit_world_free(c.out);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_world_new_is_empty),
        T(test_world_mineral_lookup_and_get),
        T(test_world_economy_lookup_and_get),
        T(test_world_iterate_by_index),
        T(test_world_get_struct_sizes),
        T(test_world_def_init),
        T(test_world_economy_codes_good),
        T(test_world_economy_codes_bad),
        T(test_world_mineral_codes_good),
        T(test_world_mineral_codes_bad),
        T(test_world_mineral_prices_refused),
        T(test_world_choke_price_default),
        T(test_world_mineral_def_refused),
        T(test_world_economy_def_refused),
        T(test_world_set_member),
        T(test_world_curve_roundtrip),
        T(test_world_curve_values_refused),
        T(test_world_wedge_sums),
        T(test_world_trade_values_refused),
        T(test_world_arcs_need_two_known_economies),
        T(test_world_export_subsidy_keeps_wedges_nonnegative),
        T(test_world_add_economy_under_subsidy_refused),
        T(test_world_wedge_check_matches_rounding),
        T(test_world_wedge_checks_count_ad_valorem_parts),
        T(test_world_wedge_overflow_refused),
        T(test_world_bans_kept_separately),
        T(test_world_export_quota),
        T(test_world_copy_is_deep),
        T(test_world_copy_of_empty_world),
        T(test_world_equal),
        T(test_world_equal_copy_and_growth_see_every_field),
        T(test_world_grows_past_initial_capacity),
        T(test_world_new_allocation_failure),
        T(test_world_add_mineral_allocation_failure),
        T(test_world_add_economy_allocation_failure),
        T(test_world_copy_allocation_failure),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
