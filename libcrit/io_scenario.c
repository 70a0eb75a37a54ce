/*
 * Scenarios and results in a snapshot (docs/format.md, format 1.1): the
 * chunks SCEN, EVNT, POLI, STCK, LOAN, PROG, RSLT and RSER after the
 * world's. Reading parses every chunk twice with the same functions:
 * first with nothing to build (pass 1: bounds, counts, indices against the
 * world's counts), then, once the world is built, through the scenario,
 * policy, stockpile and loan modules' own public functions, so every value
 * meets the API's rules. Results have no setters: their shape must match
 * the scenario, their dates the scenario's calendar, and their loans are
 * rebuilt by crit_loan_new.
 */
#include "date_internal.h"
#include "io_internal.h"
#include "scenario_internal.h"

#include <math.h>
#include <stdio.h>

#define T_SCEN CRIT__CHUNK_TYPE('S', 'C', 'E', 'N')
#define T_EVNT CRIT__CHUNK_TYPE('E', 'V', 'N', 'T')
#define T_POLI CRIT__CHUNK_TYPE('P', 'O', 'L', 'I')
#define T_STCK CRIT__CHUNK_TYPE('S', 'T', 'C', 'K')
#define T_LOAN CRIT__CHUNK_TYPE('L', 'O', 'A', 'N')
#define T_PROG CRIT__CHUNK_TYPE('P', 'R', 'O', 'G')
#define T_RSLT CRIT__CHUNK_TYPE('R', 'S', 'L', 'T')
#define T_RSER CRIT__CHUNK_TYPE('R', 'S', 'E', 'R')
#define NONE 0xFFFFFFFFu /* an absent index (CRIT__ALL) */
#define MAX_ITEMS (1u << 24)

/* ---- writing ----------------------------------------------------------- */

static int put(crit__buf *b, const void *p, size_t n)
{
    return crit__buf_put(b, p, n);
}
static int put_u8(crit__buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    return put(b, &c, 1);
}
static int put_u32(crit__buf *b, uint32_t v)
{
    unsigned char p[4];
    crit__put_u32(p, v);
    return put(b, p, 4);
}
static int put_i32(crit__buf *b, int32_t v)
{
    return put_u32(b, (uint32_t)v);
}
static int put_idx(crit__buf *b, size_t v)
{
    return put_u32(b, v == CRIT__ALL ? NONE : (uint32_t)v);
}
static int put_f64(crit__buf *b, double v)
{
    unsigned char p[8];
    crit__put_u64(p, crit__f64_bits(v));
    return put(b, p, 8);
}
static int put_f64s(crit__buf *b, const double *v, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = put_f64(b, v[i]);
    return rc;
}
static int put_str(crit__buf *b, const char *s)
{
    size_t n = strlen(s);
    int rc = put_u32(b, (uint32_t)n);
    return rc ? rc : put(b, s, n);
}

/* A loan: its definition with every draw so far as scheduled draws. */
static int put_loan(crit__buf *b, const crit_loan *loan)
{
    crit_loan_def d;
    crit__loan_def(&d, loan);
    int rc;
    if ((rc = put_f64(b, d.commitment)) || (rc = put_i32(b, d.start)) ||
        (rc = put_i32(b, d.maturity)) ||
        (rc = put_i32(b, d.availability_end)) ||
        (rc = put_i32(b, d.frequency)) || (rc = put_i32(b, d.day_count)) ||
        (rc = put_i32(b, d.end_of_month)) || (rc = put_f64(b, d.fixed_rate)) ||
        (rc = put_u32(b, (uint32_t)d.curve_count)))
        return rc;
    for (size_t i = 0; i < d.curve_count && !rc; i++)
        if (!(rc = put_i32(b, d.curve_dates[i])))
            rc = put_f64(b, d.curve_rates[i]);
    if (rc || (rc = put_f64(b, d.spread)) ||
        (rc = put_i32(b, d.amortisation)) || (rc = put_i32(b, d.grace_mode)) ||
        (rc = put_i32(b, d.grace_periods)) ||
        (rc = put_u32(b, (uint32_t)d.profile_count)) ||
        (rc = put_f64s(b, d.profile, d.profile_count)) ||
        (rc = put_f64(b, d.upfront_fee_rate)) ||
        (rc = put_f64(b, d.commitment_fee_rate)) ||
        (rc = put_u32(b, (uint32_t)d.draw_count)))
        return rc;
    for (size_t i = 0; i < d.draw_count && !rc; i++)
        if (!(rc = put_i32(b, d.draw_dates[i])))
            rc = put_f64(b, d.draw_amounts[i]);
    return rc;
}

/* Whether `run` is `base` with draws added, as a run leaves a scenario's
 * loan: 0; 1 when their terms differ; 2 when `run` lacks the base's draw
 * *draw. */
static int loan_not_run_of(size_t *draw, const crit_loan *run,
                           const crit_loan *base)
{
    if (!crit__loan_same_terms(run, base))
        return 1;
    crit_loan_def a, b;
    crit__loan_def(&a, run);
    crit__loan_def(&b, base);
    /* the base's draws, in order, among the run's (both by date) */
    size_t j = 0;
    for (size_t i = 0; i < b.draw_count; i++, j++) {
        while (j < a.draw_count && !(a.draw_dates[j] == b.draw_dates[i] &&
                                     crit__f64_bits(a.draw_amounts[j]) ==
                                         crit__f64_bits(b.draw_amounts[i])))
            j++;
        if (j == a.draw_count) {
            *draw = i;
            return 2;
        }
    }
    return 0;
}

typedef struct save_ctx {
    const crit_scenario *sc;
    const crit_result *res;
} save_ctx;

static int save_scenario_chunks(crit__snap_writer *w, const crit_scenario *s)
{
    crit__buf b = {0};
    int rc;
    const crit_market_options *o = &s->mopt;
    /* SCEN */
    if ((rc = put_i32(&b, s->start)) || (rc = put_i32(&b, s->periods)) ||
        (rc = put_i32(&b, s->months)) || (rc = put_i32(&b, s->auto_disrupt)) ||
        (rc = put_u8(&b, (unsigned)s->has_mopt)) ||
        (rc = put_f64(&b, o->tolerance)) ||
        (rc = put_i32(&b, o->max_iterations)) ||
        (rc = put_i32(&b, o->warm_start)) ||
        (rc = put_u32(&b, (uint32_t)s->n_sp)) ||
        (rc = put_u32(&b, (uint32_t)s->n_loan)) ||
        (rc = crit__snap_write_chunk(w, T_SCEN, &b, CRIT__LEVEL_SAVE)))
        goto done;
    /* EVNT */
    b.len = 0;
    if ((rc = put_u32(&b, (uint32_t)s->n_ev)))
        goto done;
    for (size_t k = 0; k < s->n_ev && !rc; k++) {
        const ev *e = &s->ev[k];
        if (!(rc = put_i32(&b, e->period)) && !(rc = put_i32(&b, e->kind)) &&
            !(rc = put_idx(&b, e->mineral)) &&
            !(rc = put_idx(&b, e->economy)) &&
            !(rc = put_idx(&b, e->partner)) && !(rc = put_f64(&b, e->v1)) &&
            !(rc = put_f64(&b, e->v2)))
            rc = put_f64(&b, e->v3);
    }
    if (rc || (rc = crit__snap_write_chunk(w, T_EVNT, &b, CRIT__LEVEL_SAVE)))
        goto done;
    /* POLI: the minerals with a policy set */
    b.len = 0;
    uint32_t np = 0;
    for (size_t k = 0; k < s->n_pol; k++)
        np += s->pol[k].set != 0;
    if ((rc = put_u32(&b, np)))
        goto done;
    for (size_t k = 0; k < s->n_pol && !rc; k++) {
        const polset *p = &s->pol[k];
        if (!p->set)
            continue;
        if ((rc = put_u32(&b, (uint32_t)k)) || (rc = put_f64(&b, p->ext)) ||
            (rc = put_f64(&b, p->rref)) ||
            (rc = put_u32(&b, (uint32_t)p->n_floor)))
            break;
        for (size_t f = 0; f < p->n_floor && !rc; f++)
            if (!(rc = put_u32(&b, (uint32_t)p->floor[f].eco)) &&
                !(rc = put_f64(&b, p->floor[f].F)) &&
                !(rc = put_f64(&b, p->floor[f].theta)))
                rc = put_f64(&b, p->floor[f].phi);
    }
    if (rc || (rc = crit__snap_write_chunk(w, T_POLI, &b, CRIT__LEVEL_SAVE)))
        goto done;
    /* STCK: one per stockpile, in order */
    for (size_t k = 0; k < s->n_sp && !rc; k++) {
        const crit_stockpile *sp = s->sp[k];
        b.len = 0;
        if ((rc = put_str(&b, sp->name)) ||
            (rc = put_u32(&b, (uint32_t)sp->economy)) ||
            (rc = put_f64(&b, sp->cash)) ||
            (rc = put_u32(&b, (uint32_t)sp->n_stock)))
            break;
        for (size_t i = 0; i < sp->n_stock && !rc; i++) {
            const crit__stock *st = &sp->stock[i];
            const crit_stockpile_mineral_def *d = &st->def;
            double v[11] = {d->inventory_t,
                            d->capacity_t,
                            d->minimum_t,
                            d->target,
                            d->acquisition_rate_t_per_yr,
                            d->release_rate_t_per_yr,
                            d->purchase_trigger_usd_per_t,
                            d->release_trigger_usd_per_t,
                            d->emergency_trigger_usd_per_t,
                            d->smoothing,
                            d->loss_rate_per_yr};
            if (!(rc = put_u32(&b, (uint32_t)st->mineral)) &&
                !(rc = put_i32(&b, d->target_unit)) &&
                !(rc = put_f64s(&b, v, 11)) &&
                !(rc = put_f64(&b, st->inventory)))
                rc = put_i32(&b, st->disrupted);
        }
        if (rc || (rc = put_u32(&b, (uint32_t)sp->n_part)))
            break;
        for (size_t i = 0; i < sp->n_part && !rc; i++) {
            const crit__participant *p = &sp->part[i];
            const crit_participant_def *d = &p->def;
            double v[9] = {d->demand_t_per_yr,
                           d->upfront_fee_usd,
                           d->annual_fee_usd_per_yr,
                           d->draw_right_t,
                           d->draw_rate_t_per_yr,
                           d->draw_price_usd_per_t,
                           d->replenish_rate_t_per_yr,
                           p->drawn,
                           p->owed};
            if (!(rc = put_str(&b, p->name)) && !(rc = put_i32(&b, d->kind)) &&
                !(rc = put_idx(&b, p->slot == SIZE_MAX
                                       ? CRIT__ALL
                                       : sp->stock[p->slot].mineral)))
                rc = put_f64s(&b, v, 9);
        }
        if (!rc)
            rc = crit__snap_write_chunk(w, T_STCK, &b, CRIT__LEVEL_SAVE);
    }
    /* LOAN: one per loan, in order */
    for (size_t k = 0; k < s->n_loan && !rc; k++) {
        b.len = 0;
        if (!(rc = put_u32(&b, (uint32_t)s->loan_sp[k])) &&
            !(rc = put_loan(&b, s->loan[k])))
            rc = crit__snap_write_chunk(w, T_LOAN, &b, CRIT__LEVEL_SAVE);
    }
    if (rc)
        goto done;
    /* PROG */
    b.len = 0;
    if ((rc = put_u32(&b, (uint32_t)s->n_prog)))
        goto done;
    for (size_t k = 0; k < s->n_prog && !rc; k++) {
        const prog *p = &s->prog[k];
        if (!(rc = put_str(&b, p->name)) &&
            !(rc = put_u32(&b, (uint32_t)p->eco)) &&
            !(rc = put_u32(&b, (uint32_t)p->min)) &&
            !(rc = put_f64(&b, p->def.budget_usd)) &&
            !(rc = put_f64(&b, p->def.capital_intensity_usd_per_t_per_yr)) &&
            !(rc = put_f64(&b, p->def.lead_time_years)))
            rc = put_i32(&b, p->def.start_period);
    }
    if (!rc)
        rc = crit__snap_write_chunk(w, T_PROG, &b, CRIT__LEVEL_SAVE);
done:
    crit__buf_free(&b);
    return rc;
}

/* A series' doubles as 8 byte planes (byte 0 of every value, then byte 1,
 * ...): the sign, exponent and high mantissa bytes of a smooth series
 * repeat, which deflate finds once they are next to each other. With
 * RSER_DELTA each value's 64-bit pattern is first replaced by its
 * difference (mod 2^64) from the pattern of the same cell a period
 * before (`stride` values back): series constant or slowly varying over
 * the periods become planes of long zero runs, which deflate's run-length
 * strategy codes about as small as level 5 codes the plain planes, at
 * half the time. Exact for every pattern (NaN payloads, -0). */
#define RSER_PLAIN 0u
#define RSER_DELTA 1u
/* Transposed by hand, 8 planes at once: one sequential stream per plane,
 * each value assembled (or split) in a register. */
static int put_planes(crit__buf *b, const double *v, size_t n, size_t stride)
{
    if (n > SIZE_MAX / 8)
        return crit__error_oom();
    int rc = crit__buf_reserve(b, n * 8);
    if (rc)
        return rc;
    unsigned char *p0 = b->data + b->len, *p1 = p0 + n, *p2 = p1 + n,
                  *p3 = p2 + n, *p4 = p3 + n, *p5 = p4 + n, *p6 = p5 + n,
                  *p7 = p6 + n;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = crit__f64_bits(v[i]);
        if (i >= stride)
            u -= crit__f64_bits(v[i - stride]);
        p0[i] = (unsigned char)u;
        p1[i] = (unsigned char)(u >> 8);
        p2[i] = (unsigned char)(u >> 16);
        p3[i] = (unsigned char)(u >> 24);
        p4[i] = (unsigned char)(u >> 32);
        p5[i] = (unsigned char)(u >> 40);
        p6[i] = (unsigned char)(u >> 48);
        p7[i] = (unsigned char)(u >> 56);
    }
    b->len += 8 * n;
    return CRIT_OK;
}

/* The inverse of put_planes: n doubles from 8 planes of n bytes, each
 * difference added to the value `stride` before (already rebuilt). */
static void get_planes(double *v, const unsigned char *p, size_t n,
                       size_t stride)
{
    const unsigned char *p0 = p, *p1 = p0 + n, *p2 = p1 + n, *p3 = p2 + n,
                        *p4 = p3 + n, *p5 = p4 + n, *p6 = p5 + n, *p7 = p6 + n;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = (uint64_t)p0[i] | (uint64_t)p1[i] << 8 |
                     (uint64_t)p2[i] << 16 | (uint64_t)p3[i] << 24 |
                     (uint64_t)p4[i] << 32 | (uint64_t)p5[i] << 40 |
                     (uint64_t)p6[i] << 48 | (uint64_t)p7[i] << 56;
        if (i >= stride)
            u += crit__f64_bits(v[i - stride]);
        v[i] = crit__bits_f64(u);
    }
}

static int save_result_chunks(crit__snap_writer *w, const crit_result *r)
{
    crit__buf b = {0};
    int rc;
    if ((rc = put_u32(&b, (uint32_t)r->T)) ||
        (rc = put_u32(&b, (uint32_t)r->M)) ||
        (rc = put_u32(&b, (uint32_t)r->E)) ||
        (rc = put_u32(&b, (uint32_t)r->S)) ||
        (rc = put_u32(&b, (uint32_t)r->L)))
        goto done;
    for (size_t t = 0; t <= r->T && !rc; t++)
        rc = put_i32(&b, r->dates[t]);
    for (size_t s = 0; s < r->S && !rc; s++)
        rc = put_str(&b, r->sp_name[s]);
    for (size_t l = 0; l < r->L && !rc; l++)
        rc = put_loan(&b, r->loan[l]);
    if (rc || (rc = crit__snap_write_chunk(w, T_RSLT, &b, CRIT__LEVEL_SAVE)))
        goto done;
    for (int32_t q = 0; q < CRIT_SERIES_COUNT && !rc; q++) {
        size_t n = crit__result_series_len(r, q);
        b.len = 0;
        if (n > (UINT32_MAX / 2 - 12) / 8) {
            rc = crit__error(CRIT_EUNSUPPORTED,
                             "snapshot save: series '%s' of %zu values is "
                             "too large for one chunk",
                             crit_series_name(q), n);
            break;
        }
        /* values per period: the series are [t][...] */
        size_t stride = r->T ? n / r->T : n;
        if (!(rc = put_u32(&b, (uint32_t)q)) &&
            !(rc = put_u32(&b, (uint32_t)n)) &&
            !(rc = put_u32(&b, RSER_DELTA)) &&
            !(rc = put_planes(&b, r->data[q], n, stride ? stride : n)))
            rc = crit__snap_write_chunk(w, T_RSER, &b, CRIT__LEVEL_SERIES);
    }
done:
    crit__buf_free(&b);
    return rc;
}

static int save_extra(crit__snap_writer *w, void *ctx)
{
    const save_ctx *c = ctx;
    int rc = save_scenario_chunks(w, c->sc);
    if (!rc && c->res)
        rc = save_result_chunks(w, c->res);
    return rc;
}

int crit_io_save_scenario(const char *path, const crit_scenario *scenario,
                          const crit_result *result,
                          const crit_io_save_options *options)
{
    if (!path || !scenario)
        return crit__error(CRIT_EINVAL, "snapshot save: NULL argument");
    const crit_scenario *s = scenario;
    if (result) {
        const crit_result *r = result;
        if (!crit_world_equal(r->world, s->world) ||
            r->T != (size_t)s->periods || r->S != s->n_sp || r->L != s->n_loan)
            return crit__error(CRIT_EINVAL,
                               "snapshot save: the result is not a run of "
                               "this scenario (its world, periods, "
                               "stockpiles or loans differ)");
        /* what the reader checks: the stockpiles' names, and each loan
         * the scenario's with the run's draws added */
        for (size_t k = 0; k < r->S; k++)
            if (strcmp(r->sp_name[k], s->sp[k]->name) != 0)
                return crit__error(CRIT_EINVAL,
                                   "snapshot save: the result is not a run "
                                   "of this scenario: stockpile %zu is "
                                   "'%.60s', the scenario's '%.60s'",
                                   k, r->sp_name[k], s->sp[k]->name);
        for (size_t l = 0; l < r->L; l++) {
            size_t draw = 0;
            int why = loan_not_run_of(&draw, r->loan[l], s->loan[l]);
            if (why == 1)
                return crit__error(CRIT_EINVAL,
                                   "snapshot save: the result is not a run "
                                   "of this scenario: loan %zu is not a run "
                                   "of the scenario's: its terms differ",
                                   l);
            if (why)
                return crit__error(CRIT_EINVAL,
                                   "snapshot save: the result is not a run "
                                   "of this scenario: loan %zu is not a run "
                                   "of the scenario's: it lacks the "
                                   "scenario's draw %zu",
                                   l, draw);
        }
        /* the two share the world: compared above with itself */
        if (r->world->rev != r->world_rev)
            return crit__error(CRIT_EINVAL,
                               "snapshot save: the result is not a run of "
                               "this scenario: its world changed since the "
                               "run (run it again)");
        /* a result of this scenario, only where it has not changed
         * since; of another one (a copy), only where the two are still
         * equal (an equal copy has the same runs): the identity alone
         * let a copy pass a run of the scenario before a change, or a
         * run of the copy pass the scenario after one */
        if (r->scenario_id == s->id && r->scenario_rev != s->rev)
            return crit__error(CRIT_EINVAL,
                               "snapshot save: the result is not a run of "
                               "this scenario: the scenario changed since "
                               "the run (run it again)");
        if (r->scenario_id != s->id &&
            r->scenario_digest != crit__scenario_digest(s))
            return crit__error(CRIT_EINVAL,
                               "snapshot save: the result is not a run of "
                               "this scenario: it is a run of another "
                               "scenario whose events, policies, "
                               "stockpiles, loans, programmes or market "
                               "options differ (run this one)");
    }
    if (s->n_ev >= MAX_ITEMS || s->n_sp >= MAX_ITEMS ||
        s->n_loan >= MAX_ITEMS || s->n_prog >= MAX_ITEMS)
        return crit__error(CRIT_EUNSUPPORTED,
                           "snapshot save: more than %u events, stockpiles, "
                           "loans or programmes",
                           MAX_ITEMS - 1);
    /* a scenario whose world changed so that it no longer fits (which the
     * run refuses) would be written where the reader, which rebuilds it
     * through the functions that check it against the world, refuses it */
    int rc = crit__scenario_validate(s);
    if (rc)
        return rc;
    save_ctx c = {s, result};
    return crit__snap_save(path, s->world, options, save_extra, &c);
}

/* ---- reading ----------------------------------------------------------- */

/* A cursor over one chunk; the first error sticks (rc) and is recorded. */
typedef struct cur {
    const crit__snap *snap;
    const crit__snap_chunk *c;
    size_t pos;
    int rc;
} cur;

static int cerr(cur *u, int code, const char *what)
{
    if (!u->rc)
        u->rc = crit__snap_error(u->snap->name, code, u->c->type, u->c->offset,
                                 "%s", what);
    return u->rc;
}

static const unsigned char *take(cur *u, size_t n, const char *what)
{
    if (u->rc)
        return NULL;
    if (n > u->c->raw_len - u->pos) {
        char m[160];
        snprintf(m, sizeof m,
                 "%s at payload byte %zu runs past the payload's end (%zu "
                 "bytes)",
                 what, u->pos, u->c->raw_len);
        cerr(u, CRIT_EFORMAT, m);
        return NULL;
    }
    const unsigned char *p = u->c->raw + u->pos;
    u->pos += n;
    return p;
}
static uint32_t get_u32(cur *u, const char *what)
{
    const unsigned char *p = take(u, 4, what);
    return p ? crit__get_u32(p) : 0;
}
static int32_t get_i32(cur *u, const char *what)
{
    return (int32_t)get_u32(u, what);
}
static double get_f64(cur *u, const char *what)
{
    const unsigned char *p = take(u, 8, what);
    return p ? crit__bits_f64(crit__get_u64(p)) : 0;
}
/* A count of items of at least `each` bytes that must fit the payload. */
static size_t get_count(cur *u, size_t each, const char *what)
{
    uint32_t n = get_u32(u, what);
    if (!u->rc &&
        (n >= MAX_ITEMS || (uint64_t)n * each > u->c->raw_len - u->pos)) {
        char m[160];
        snprintf(m, sizeof m,
                 "%s %lu at payload byte %zu does not fit the payload", what,
                 (unsigned long)n, u->pos - 4);
        cerr(u, CRIT_EFORMAT, m);
        return 0;
    }
    return u->rc ? 0 : n;
}
/* An index below `lim`, or NONE when `none_ok`. */
static size_t get_idx(cur *u, uint32_t lim, int none_ok, const char *what)
{
    uint32_t v = get_u32(u, what);
    if (u->rc)
        return 0;
    if (v == NONE && none_ok)
        return CRIT__ALL;
    if (v >= lim) {
        char m[160];
        snprintf(m, sizeof m, "%s %lu at payload byte %zu is not below %lu",
                 what, (unsigned long)v, u->pos - 4, (unsigned long)lim);
        cerr(u, CRIT_EFORMAT, m);
        return 0;
    }
    return v;
}
/* A string, NUL-terminated into a fresh allocation when `out` is given. */
static int get_str(cur *u, char **out, const char *what)
{
    uint32_t n = get_u32(u, what);
    const unsigned char *p = take(u, n, what);
    if (!p)
        return u->rc;
    if (memchr(p, '\0', n)) {
        char m[160];
        snprintf(m, sizeof m, "%s at payload byte %zu contains a NUL byte",
                 what, u->pos - n);
        return cerr(u, CRIT_EFORMAT, m);
    }
    if (out) {
        *out = crit__malloc((size_t)n + 1);
        if (!*out)
            return u->rc = crit__error_oom();
        memcpy(*out, p, n);
        (*out)[n] = '\0';
    }
    return CRIT_OK;
}

/* Re-record a module's message prefixed with where (ENOMEM stays as is). */
static int api_err(cur *u, int rc)
{
    if (u->rc)
        return u->rc;
    if (rc == CRIT_ENOMEM)
        return u->rc = rc;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    u->rc = crit__snap_error(u->snap->name, rc, u->c->type, u->c->offset, "%s",
                             msg);
    return u->rc;
}

/* The chunk at the end: bytes past the known fields are a newer minor
 * version's additions, ignored. */

typedef struct load_ctx {
    crit__snap snap; /* the chunks, taken from the loader */
    int want_result;
    const crit__snap_chunk *scen, *evnt, *poli, *prog, *rslt;
    const crit__snap_chunk **stck, **loan; /* [n_sp], [n_loan] */
    const crit__snap_chunk *rser[CRIT_SERIES_COUNT];
    uint32_t n_sp, n_loan, n_stck, n_lo;
    int32_t periods;
} load_ctx;

/* A loan: parsed (and checked) always, built when `out` is given. */
static int get_loan(cur *u, crit_loan **out)
{
    crit_loan_def d;
    crit_loan_def_init(&d);
    d.commitment = get_f64(u, "loan commitment");
    d.start = get_i32(u, "loan start");
    d.maturity = get_i32(u, "loan maturity");
    d.availability_end = get_i32(u, "loan availability end");
    d.frequency = get_i32(u, "loan frequency");
    d.day_count = get_i32(u, "loan day count");
    d.end_of_month = get_i32(u, "loan end of month");
    d.fixed_rate = get_f64(u, "loan fixed rate");
    d.curve_count = get_count(u, 12, "loan curve count");
    size_t curve_at = u->pos;
    take(u, d.curve_count * 12, "loan curve");
    d.spread = get_f64(u, "loan spread");
    d.amortisation = get_i32(u, "loan amortisation");
    d.grace_mode = get_i32(u, "loan grace mode");
    d.grace_periods = get_i32(u, "loan grace periods");
    d.profile_count = get_count(u, 8, "loan profile count");
    size_t profile_at = u->pos;
    take(u, d.profile_count * 8, "loan profile");
    d.upfront_fee_rate = get_f64(u, "loan upfront fee rate");
    d.commitment_fee_rate = get_f64(u, "loan commitment fee rate");
    d.draw_count = get_count(u, 12, "loan draw count");
    size_t draws_at = u->pos;
    take(u, d.draw_count * 12, "loan draws");
    if (u->rc || !out)
        return u->rc;
    /* build: unpack the arrays, then crit_loan_new checks everything */
    size_t nd = d.curve_count + d.draw_count;
    crit_date *dates = crit__malloc_array(nd ? nd : 1, sizeof *dates);
    double *vals =
        crit__malloc_array(nd + d.profile_count ? nd + d.profile_count : 1, 8);
    int rc = CRIT_ENOMEM;
    if (dates && vals) {
        const unsigned char *c = u->c->raw + curve_at;
        for (size_t i = 0; i < d.curve_count; i++, c += 12) {
            dates[i] = (int32_t)crit__get_u32(c);
            vals[i] = crit__bits_f64(crit__get_u64(c + 4));
        }
        c = u->c->raw + draws_at;
        for (size_t i = 0; i < d.draw_count; i++, c += 12) {
            dates[d.curve_count + i] = (int32_t)crit__get_u32(c);
            vals[d.curve_count + i] = crit__bits_f64(crit__get_u64(c + 4));
        }
        c = u->c->raw + profile_at;
        for (size_t i = 0; i < d.profile_count; i++, c += 8)
            vals[nd + i] = crit__bits_f64(crit__get_u64(c));
        d.curve_dates = dates;
        d.curve_rates = vals;
        d.draw_dates = dates + d.curve_count;
        d.draw_amounts = vals + d.curve_count;
        d.profile = vals + nd;
        rc = crit_loan_new(out, &d);
    } else
        crit__error_oom();
    crit__free(dates);
    crit__free(vals);
    return rc ? api_err(u, rc) : CRIT_OK;
}

static int is_scenario_chunk(uint32_t t)
{
    return t == T_SCEN || t == T_EVNT || t == T_POLI || t == T_STCK ||
           t == T_LOAN || t == T_PROG || t == T_RSLT || t == T_RSER;
}

/* Each parse_* checks its chunk (sc NULL) or builds from it. */
static int parse_scen(load_ctx *x, cur *u, crit_scenario **out,
                      const crit_world *w)
{
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = get_i32(u, "start date");
    d.periods = get_i32(u, "periods");
    d.months_per_period = get_i32(u, "months per period");
    d.disruption_from_restrictions = get_i32(u, "disruption flag");
    const unsigned char *hm = take(u, 1, "market options flag");
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = get_f64(u, "market tolerance");
    o.max_iterations = get_i32(u, "market iterations");
    o.warm_start = get_i32(u, "market warm start");
    x->n_sp = get_u32(u, "stockpile count");
    x->n_loan = get_u32(u, "loan count");
    if (u->rc)
        return u->rc;
    if (*hm > 1) {
        char m[80];
        snprintf(m, sizeof m, "market options flag %u is not 0 or 1",
                 (unsigned)*hm);
        return cerr(u, CRIT_EFORMAT, m);
    }
    if (x->n_sp >= MAX_ITEMS || x->n_loan >= MAX_ITEMS) {
        char m[120];
        snprintf(m, sizeof m,
                 "%lu stockpiles and %lu loans: at most %lu of each",
                 (unsigned long)x->n_sp, (unsigned long)x->n_loan,
                 (unsigned long)MAX_ITEMS - 1);
        return cerr(u, CRIT_EFORMAT, m);
    }
    x->periods = d.periods;
    if (!out)
        return CRIT_OK;
    int rc = crit_scenario_new(out, w, &d);
    if (!rc && *hm)
        rc = crit_scenario_set_market_options(*out, &o);
    return rc ? api_err(u, rc) : CRIT_OK;
}

static int parse_evnt(const load_ctx *x, cur *u, crit_scenario *sc,
                      const crit_world *w)
{
    size_t n = get_count(u, 44, "event count");
    for (size_t k = 0; k < n && !u->rc; k++) {
        crit_event_def d;
        crit_event_def_init(&d);
        d.period = get_i32(u, "event period");
        d.kind = get_i32(u, "event kind");
        size_t mi = get_idx(u, x->snap.n_min, 1, "event mineral");
        size_t ei = get_idx(u, x->snap.n_eco, 1, "event economy");
        size_t pi = get_idx(u, x->snap.n_eco, 1, "event partner");
        d.value = get_f64(u, "event value");
        d.value2 = get_f64(u, "event value 2");
        d.value3 = get_f64(u, "event value 3");
        if (u->rc || !sc)
            continue;
        d.mineral = mi == CRIT__ALL ? NULL : w->min[mi].code;
        d.economy = ei == CRIT__ALL ? NULL : w->eco[ei].code;
        d.partner = pi == CRIT__ALL ? NULL : w->eco[pi].code;
        int rc = crit_scenario_add_event(sc, &d);
        if (rc)
            return api_err(u, rc);
    }
    return u->rc;
}

static int parse_poli(const load_ctx *x, cur *u, crit_scenario *sc,
                      const crit_world *w)
{
    size_t n = get_count(u, 24, "policy count");
    for (size_t k = 0; k < n && !u->rc; k++) {
        size_t m = get_idx(u, x->snap.n_min, 0, "policy mineral");
        double ext = get_f64(u, "external tariff");
        double rref = get_f64(u, "reference price");
        size_t nf = get_count(u, 28, "floor count");
        size_t at = u->pos;
        for (size_t f = 0; f < nf; f++)
            get_idx(u, x->snap.n_eco, 0, "floor economy"), take(u, 24, "floor");
        if (u->rc || !sc)
            continue;
        /* a writer holds each mineral once and each floor once: a second
         * one would replace the first */
        char dup[160];
        if (m < sc->n_pol && sc->pol[m].set) {
            snprintf(dup, sizeof dup, "a second policy for mineral '%s'",
                     w->min[m].code);
            return cerr(u, CRIT_EFORMAT, dup);
        }
        crit_policy *p = NULL;
        int rc = crit_policy_new(&p, w, w->min[m].code);
        if (!rc)
            rc = crit_policy_set_external_tariff(p, ext);
        if (!rc)
            rc = crit_policy_set_reference_price(p, rref);
        const unsigned char *c = u->c->raw + at;
        for (size_t f = 0; f < nf && !rc; f++, c += 28) {
            crit_floor_def fd;
            crit_floor_def_init(&fd);
            size_t e = crit__get_u32(c);
            for (size_t g = 0; g < p->n_floor; g++)
                if (p->floor[g].eco == e) {
                    snprintf(dup, sizeof dup,
                             "policy for mineral '%s': a second floor for "
                             "economy '%s'",
                             w->min[m].code, w->eco[e].code);
                    crit_policy_free(p);
                    return cerr(u, CRIT_EFORMAT, dup);
                }
            fd.floor_usd_per_t = crit__bits_f64(crit__get_u64(c + 4));
            fd.covered_share = crit__bits_f64(crit__get_u64(c + 12));
            fd.upside_share = crit__bits_f64(crit__get_u64(c + 20));
            rc = crit_policy_set_floor(p, w->eco[e].code, &fd);
        }
        if (!rc)
            rc = crit_scenario_set_policy(sc, p);
        crit_policy_free(p);
        if (rc)
            return api_err(u, rc);
    }
    return u->rc;
}

static int parse_stck(const load_ctx *x, cur *u, crit_scenario *sc,
                      const crit_world *w)
{
    char *name = NULL;
    crit_stockpile *sp = NULL;
    get_str(u, sc ? &name : NULL, "stockpile name");
    size_t eco = get_idx(u, x->snap.n_eco, 0, "stockpile economy");
    double cash = get_f64(u, "stockpile cash");
    int rc = u->rc;
    if (!rc && sc) {
        crit_stockpile_def d;
        crit_stockpile_def_init(&d);
        d.name = name;
        d.economy = w->eco[eco].code;
        d.cash_usd = cash >= 0 ? cash : 0;
        /* its economy may have left the coalition since it was added */
        rc = crit__stockpile_new(&sp, w, &d, 0);
        if (!rc && !(cash >= 0))
            rc = crit_stockpile_add_cash(sp, cash);
        if (rc)
            api_err(u, rc);
    }
    size_t n = get_count(u, 108, "stockpile mineral count");
    for (size_t k = 0; k < n && !u->rc; k++) {
        crit_stockpile_mineral_def d;
        crit_stockpile_mineral_def_init(&d);
        size_t m = get_idx(u, x->snap.n_min, 0, "stockpile mineral");
        d.target_unit = get_i32(u, "target unit");
        double *f[11] = {&d.inventory_t,
                         &d.capacity_t,
                         &d.minimum_t,
                         &d.target,
                         &d.acquisition_rate_t_per_yr,
                         &d.release_rate_t_per_yr,
                         &d.purchase_trigger_usd_per_t,
                         &d.release_trigger_usd_per_t,
                         &d.emergency_trigger_usd_per_t,
                         &d.smoothing,
                         &d.loss_rate_per_yr};
        for (int i = 0; i < 11; i++)
            *f[i] = get_f64(u, "stockpile mineral value");
        double inv = get_f64(u, "inventory");
        int32_t dis = get_i32(u, "disruption flag");
        if (u->rc || !sc)
            continue;
        d.mineral = w->min[m].code;
        if ((rc = crit_stockpile_add_mineral(sp, &d)) ||
            (rc = crit_stockpile_set_disruption(sp, k, dis))) {
            api_err(u, rc);
            break;
        }
        /* the state: no setter; what settlements can leave, the
         * capacity with their slack (crit__stockpile_max_inventory) */
        if (!(crit__is_finite(inv) && inv >= 0 &&
              inv <= crit__stockpile_max_inventory(d.capacity_t))) {
            char m2[200];
            crit__format(m2, sizeof m2,
                         "stockpile '%s' mineral '%s': inventory %g t is "
                         "outside [0, capacity %g t] (with a settlement's "
                         "slack)",
                         name, d.mineral, inv, d.capacity_t);
            cerr(u, CRIT_EINVAL, m2);
            break;
        }
        sp->stock[k].inventory = inv;
    }
    size_t np = get_count(u, 84, "participant count");
    for (size_t k = 0; k < np && !u->rc; k++) {
        crit_participant_def d;
        crit_participant_def_init(&d);
        char *pn = NULL;
        get_str(u, sc ? &pn : NULL, "participant name");
        d.kind = get_i32(u, "participant kind");
        size_t m = get_idx(u, x->snap.n_min, 1, "participant mineral");
        double *f[9] = {&d.demand_t_per_yr,
                        &d.upfront_fee_usd,
                        &d.annual_fee_usd_per_yr,
                        &d.draw_right_t,
                        &d.draw_rate_t_per_yr,
                        &d.draw_price_usd_per_t,
                        &d.replenish_rate_t_per_yr,
                        NULL,
                        NULL};
        double drawn, owed;
        f[7] = &drawn;
        f[8] = &owed;
        for (int i = 0; i < 9; i++)
            *f[i] = get_f64(u, "participant value");
        if (!u->rc && sc) {
            d.name = pn;
            d.mineral = m == CRIT__ALL ? NULL : w->min[m].code;
            size_t idx = 0;
            rc = crit_stockpile_add_participant(&idx, sp, &d);
            if (rc)
                api_err(u, rc);
            else if (!(crit__is_finite(drawn) && drawn >= 0 &&
                       crit__is_finite(owed) && owed >= 0)) {
                char m2[160];
                crit__format(
                    m2, sizeof m2,
                    "participant '%s': drawn %g t and owed %g t must be "
                    "finite and >= 0",
                    pn, drawn, owed);
                cerr(u, CRIT_EINVAL, m2);
            } else if (m == CRIT__ALL && (drawn != 0 || owed != 0)) {
                /* settlements never move a participant without a
                 * mineral, nor the debt of one that does not replenish */
                char m2[200];
                crit__format(
                    m2, sizeof m2,
                    "participant '%s' holds no mineral: drawn %g t and "
                    "owed %g t must be 0",
                    pn, drawn, owed);
                cerr(u, CRIT_EINVAL, m2);
            } else if (!(d.replenish_rate_t_per_yr > 0) && owed != 0) {
                char m2[200];
                crit__format(m2, sizeof m2,
                             "participant '%s' does not replenish: owed %g t "
                             "must be 0",
                             pn, owed);
                cerr(u, CRIT_EINVAL, m2);
            } else {
                sp->part[idx].drawn = drawn;
                sp->part[idx].owed = owed;
            }
        }
        crit__free(pn);
    }
    if (!u->rc && sc && (rc = crit_scenario_add_stockpile(NULL, sc, sp)))
        api_err(u, rc);
    crit_stockpile_free(sp);
    crit__free(name);
    return u->rc;
}

static int parse_loan(const load_ctx *x, cur *u, crit_scenario *sc)
{
    size_t spi = get_idx(u, x->n_sp, 0, "loan stockpile");
    crit_loan *loan = NULL;
    int rc = get_loan(u, sc ? &loan : NULL);
    if (!rc && sc && (rc = crit_scenario_add_loan(NULL, sc, loan, spi)))
        api_err(u, rc);
    crit_loan_free(loan);
    return u->rc;
}

static int parse_prog(const load_ctx *x, cur *u, crit_scenario *sc,
                      const crit_world *w)
{
    size_t n = get_count(u, 40, "programme count");
    for (size_t k = 0; k < n && !u->rc; k++) {
        char *name = NULL;
        crit_programme_def d;
        crit_programme_def_init(&d);
        get_str(u, sc ? &name : NULL, "programme name");
        size_t e = get_idx(u, x->snap.n_eco, 0, "programme economy");
        size_t m = get_idx(u, x->snap.n_min, 0, "programme mineral");
        d.budget_usd = get_f64(u, "programme budget");
        d.capital_intensity_usd_per_t_per_yr = get_f64(u, "capital intensity");
        d.lead_time_years = get_f64(u, "lead time");
        d.start_period = get_i32(u, "start period");
        if (!u->rc && sc) {
            d.name = name;
            d.economy = w->eco[e].code;
            d.mineral = w->min[m].code;
            int rc = crit_scenario_add_programme(sc, &d);
            if (rc)
                api_err(u, rc);
        }
        crit__free(name);
    }
    return u->rc;
}

/* RSLT and the RSER chunks: checked against the scenario's shape; built
 * into *out when out is given (the scenario is then built). */
static int parse_result(load_ctx *x, const crit_scenario *sc, crit_result **out)
{
    cur u = {&x->snap, x->rslt, 0, 0};
    uint32_t T = get_u32(&u, "periods"), M = get_u32(&u, "minerals"),
             E = get_u32(&u, "economies"), S = get_u32(&u, "stockpiles"),
             L = get_u32(&u, "loans");
    if (u.rc)
        return u.rc;
    if (T != (uint32_t)x->periods || M != x->snap.n_min || E != x->snap.n_eco ||
        S != x->n_sp || L != x->n_loan) {
        char m[200];
        snprintf(m, sizeof m,
                 "dimensions %lu periods, %lu minerals, %lu economies, %lu "
                 "stockpiles, %lu loans do not match the scenario",
                 (unsigned long)T, (unsigned long)M, (unsigned long)E,
                 (unsigned long)S, (unsigned long)L);
        return cerr(&u, CRIT_EFORMAT, m);
    }
    crit_result *r = NULL;
    if (out) {
        r = crit__calloc(1, sizeof *r);
        if (!r)
            return crit__error_oom();
        r->world = crit__world_ref(sc->world);
        r->world_rev = sc->world->rev;
        r->scenario_id = sc->id;
        r->scenario_rev = sc->rev;
        r->scenario_digest = crit__scenario_digest(sc);
        r->T = T, r->M = M, r->E = E, r->S = S, r->L = L;
        r->dates = crit__malloc_array((size_t)T + 1, sizeof *r->dates);
        r->sp_name = crit__calloc(S ? S : 1, sizeof *r->sp_name);
        r->loan = crit__calloc(L ? L : 1, sizeof *r->loan);
        if (!r->dates || !r->sp_name || !r->loan)
            goto oom;
    }
    const unsigned char *dp = take(&u, ((size_t)T + 1) * 4, "dates");
    if (dp && out) {
        for (size_t t = 0; t <= T && !u.rc; t++) {
            crit_date want;
            crit__date_add_months(&want, sc->start, (int32_t)t * sc->months, 0);
            r->dates[t] = (int32_t)crit__get_u32(dp + 4 * t);
            if (r->dates[t] != want) {
                char m[160], a[16], b[16];
                if (crit_date_format(a, sizeof a, r->dates[t]))
                    snprintf(a, sizeof a, "%ld", (long)r->dates[t]);
                crit_date_format(b, sizeof b, want);
                snprintf(m, sizeof m,
                         "period %zu starts on %s, the scenario's calendar "
                         "on %s",
                         t, a, b);
                cerr(&u, CRIT_EFORMAT, m);
            }
        }
    }
    for (size_t s = 0; s < S && !u.rc; s++) {
        get_str(&u, out ? &r->sp_name[s] : NULL, "stockpile name");
        if (!u.rc && out && strcmp(r->sp_name[s], sc->sp[s]->name) != 0) {
            char m[200];
            snprintf(m, sizeof m,
                     "stockpile %zu is '%.60s', the scenario's '%.60s'", s,
                     r->sp_name[s], sc->sp[s]->name);
            cerr(&u, CRIT_EFORMAT, m);
        }
    }
    for (size_t l = 0; l < L && !u.rc; l++) {
        get_loan(&u, out ? &r->loan[l] : NULL);
        size_t draw = 0;
        int why =
            u.rc || !out ? 0 : loan_not_run_of(&draw, r->loan[l], sc->loan[l]);
        if (why) {
            char m[160];
            if (why == 1)
                snprintf(m, sizeof m,
                         "loan %zu is not a run of the scenario's: its "
                         "terms differ",
                         l);
            else
                snprintf(m, sizeof m,
                         "loan %zu is not a run of the scenario's: it "
                         "lacks the scenario's draw %zu",
                         l, draw);
            cerr(&u, CRIT_EFORMAT, m);
        }
    }
    for (int32_t q = 0; q < CRIT_SERIES_COUNT && !u.rc; q++) {
        cur v = {&x->snap, x->rser[q], 12, 0};
        crit_result shape = {0};
        shape.T = T, shape.M = M, shape.E = E, shape.S = S, shape.L = L;
        size_t n = crit__result_series_len(&shape, q);
        uint32_t got = crit__get_u32(x->rser[q]->raw + 4);
        if (got != n) {
            char m[160];
            snprintf(m, sizeof m, "series '%s' has %lu values, its shape %zu",
                     crit_series_name(q), (unsigned long)got, n);
            u.rc = cerr(&v, CRIT_EFORMAT, m);
            break;
        }
        const unsigned char *p = take(&v, n * 8, "series values");
        if (!p) {
            u.rc = v.rc;
            break;
        }
        if (!out)
            continue;
        r->data[q] = crit__malloc(n ? n * sizeof(double) : 1);
        if (!r->data[q])
            goto oom;
        size_t stride = T ? n / T : n;
        if (crit__get_u32(x->rser[q]->raw + 8) == RSER_PLAIN || !stride)
            stride = n;
        get_planes(r->data[q], p, n, stride);
    }
    if (u.rc) {
        crit_result_free(r);
        return u.rc;
    }
    if (out)
        *out = r;
    return CRIT_OK;
oom:
    crit_result_free(r);
    return crit__error_oom();
}

/* Pass 1: find the chunks, check each one's structure. */
static int check_chunks(void *ctx, crit__snap *snap)
{
    load_ctx *x = ctx;
    x->snap = *snap; /* take the chunks */
    snap->extra = NULL;
    snap->n_extra = 0;
    const crit__snap_chunk *c = x->snap.extra;
    size_t n = x->snap.n_extra;
    const char *name = x->snap.name;
    int rc = CRIT_OK;
    for (size_t k = 0; k < n; k++) {
        const crit__snap_chunk *h = &c[k];
        const crit__snap_chunk **one = NULL;
        if (h->type != T_SCEN && !x->scen)
            return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                    "comes before the SCEN chunk");
        switch (h->type) {
        case T_SCEN:
            one = &x->scen;
            break;
        case T_EVNT:
            one = &x->evnt;
            break;
        case T_POLI:
            one = &x->poli;
            break;
        case T_PROG:
            one = &x->prog;
            break;
        case T_RSLT:
            one = &x->rslt;
            break;
        case T_STCK:
            if (x->n_stck == x->n_sp)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "more STCK chunks than the %lu "
                                        "stockpiles of the SCEN chunk",
                                        (unsigned long)x->n_sp);
            x->stck[x->n_stck++] = h;
            break;
        case T_LOAN:
            if (x->n_lo == x->n_loan)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "more LOAN chunks than the %lu loans "
                                        "of the SCEN chunk",
                                        (unsigned long)x->n_loan);
            x->loan[x->n_lo++] = h;
            break;
        case T_RSER: {
            if (h->raw_len < 12)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "payload of %zu bytes is shorter "
                                        "than 12",
                                        h->raw_len);
            uint32_t q = crit__get_u32(h->raw);
            if (q >= CRIT_SERIES_COUNT)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "series %lu is unknown (0 to %d are "
                                        "known)",
                                        (unsigned long)q,
                                        CRIT_SERIES_COUNT - 1);
            if (x->rser[q])
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "a second RSER chunk for series "
                                        "'%s' (the first at offset %zu)",
                                        crit_series_name((int32_t)q),
                                        x->rser[q]->offset);
            uint32_t tr = crit__get_u32(h->raw + 8);
            if (tr != RSER_PLAIN && tr != RSER_DELTA)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "series '%s': unknown value "
                                        "transform %lu (0 or 1 are known)",
                                        crit_series_name((int32_t)q),
                                        (unsigned long)tr);
            x->rser[q] = h;
            break;
        }
        }
        if (one) {
            if (*one)
                return crit__snap_error(name, CRIT_EFORMAT, h->type, h->offset,
                                        "a second chunk of this type (the "
                                        "first at offset %zu)",
                                        (*one)->offset);
            *one = h;
        }
        if (h->type == T_SCEN) {
            cur u = {&x->snap, h, 0, 0};
            if ((rc = parse_scen(x, &u, NULL, NULL)))
                return rc;
            x->stck = crit__calloc(x->n_sp ? x->n_sp : 1, sizeof *x->stck);
            x->loan = crit__calloc(x->n_loan ? x->n_loan : 1, sizeof *x->loan);
            if (!x->stck || !x->loan)
                return crit__error_oom();
        }
    }
    if (!x->scen)
        return crit__snap_error(name, CRIT_EFORMAT, 0, 0,
                                "the file holds a world but no scenario");
    const crit__snap_chunk *sc = x->scen;
    const char *missing = !x->evnt   ? "EVNT"
                          : !x->poli ? "POLI"
                          : !x->prog ? "PROG"
                                     : NULL;
    if (missing)
        return crit__snap_error(name, CRIT_EFORMAT, sc->type, sc->offset,
                                "the file has no %s chunk", missing);
    if (x->n_stck != x->n_sp || x->n_lo != x->n_loan)
        return crit__snap_error(
            name, CRIT_EFORMAT, sc->type, sc->offset,
            "declares %lu stockpiles and %lu loans, the "
            "file has %lu STCK and %lu LOAN chunks",
            (unsigned long)x->n_sp, (unsigned long)x->n_loan,
            (unsigned long)x->n_stck, (unsigned long)x->n_lo);
    cur u;
#define CHECK(chunk, call)                                                     \
    do {                                                                       \
        u = (cur){&x->snap, chunk, 0, 0};                                      \
        if ((rc = call))                                                       \
            return rc;                                                         \
    } while (0)
    CHECK(x->evnt, parse_evnt(x, &u, NULL, NULL));
    CHECK(x->poli, parse_poli(x, &u, NULL, NULL));
    CHECK(x->prog, parse_prog(x, &u, NULL, NULL));
    for (size_t k = 0; k < x->n_sp; k++)
        CHECK(x->stck[k], parse_stck(x, &u, NULL, NULL));
    for (size_t k = 0; k < x->n_loan; k++)
        CHECK(x->loan[k], parse_loan(x, &u, NULL));
#undef CHECK
    if (x->rslt) {
        for (int q = 0; q < CRIT_SERIES_COUNT; q++)
            if (!x->rser[q])
                return crit__snap_error(name, CRIT_EFORMAT, x->rslt->type,
                                        x->rslt->offset,
                                        "the result has no RSER chunk for "
                                        "series '%s'",
                                        crit_series_name(q));
        if (x->want_result && (rc = parse_result(x, NULL, NULL)))
            return rc;
    }
    return CRIT_OK;
}

static void ctx_release(load_ctx *x)
{
    for (size_t k = 0; k < x->snap.n_extra; k++)
        crit__free(x->snap.extra[k].raw);
    crit__free(x->snap.extra);
    crit__free(x->stck);
    crit__free(x->loan);
}

static int load_scenario(crit_scenario **out_scenario, crit_result **out_result,
                         const unsigned char *data, size_t size,
                         const crit_io_load_options *options, const char *name)
{
    load_ctx x;
    memset(&x, 0, sizeof x);
    x.want_result = out_result != NULL;
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    crit_result *res = NULL;
    int rc = crit__snap_load(&w, data, size, options, name, is_scenario_chunk,
                             check_chunks, &x);
    cur u;
    if (!rc) {
        u = (cur){&x.snap, x.scen, 0, 0};
        rc = parse_scen(&x, &u, &sc, w);
    }
#define BUILD(chunk, call)                                                     \
    if (!rc) {                                                                 \
        u = (cur){&x.snap, chunk, 0, 0};                                       \
        rc = call;                                                             \
    }
    BUILD(x.evnt, parse_evnt(&x, &u, sc, w));
    BUILD(x.poli, parse_poli(&x, &u, sc, w));
    /* (!rc first: after a failed check the counts may be anything) */
    for (size_t k = 0; !rc && k < x.n_sp; k++)
        BUILD(x.stck[k], parse_stck(&x, &u, sc, w));
    for (size_t k = 0; !rc && k < x.n_loan; k++)
        BUILD(x.loan[k], parse_loan(&x, &u, sc));
    BUILD(x.prog, parse_prog(&x, &u, sc, w));
#undef BUILD
    if (!rc && out_result && x.rslt)
        rc = parse_result(&x, sc, &res);
    ctx_release(&x);
    crit_world_free(w); /* the scenario holds its own reference */
    if (rc) {
        crit_scenario_free(sc);
        return rc;
    }
    *out_scenario = sc;
    if (out_result)
        *out_result = res;
    return CRIT_OK;
}

int crit_io_load_scenario_memory(crit_scenario **out_scenario,
                                 crit_result **out_result, const void *data,
                                 size_t size,
                                 const crit_io_load_options *options)
{
    if (!out_scenario || (!data && size))
        return crit__error(CRIT_EINVAL, "snapshot load: NULL argument");
    static const unsigned char empty[1];
    return load_scenario(out_scenario, out_result, data ? data : empty, size,
                         options, "snapshot (memory)");
}

int crit_io_load_scenario(crit_scenario **out_scenario,
                          crit_result **out_result, const char *path,
                          const crit_io_load_options *options)
{
    if (!out_scenario || !path)
        return crit__error(CRIT_EINVAL, "snapshot load: NULL argument");
    unsigned char *data;
    size_t size;
    char *name;
    int rc = crit__snap_read_file(&data, &size, &name, path);
    if (rc)
        return rc;
    rc = load_scenario(out_scenario, out_result, data, size, options, name);
    crit__free(name);
    crit__free(data);
    return rc;
}
