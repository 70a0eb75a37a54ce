/*
 * project_vault.h: the Project Vault scenario on libcrit's default world,
 * shared by crit-report (examples/c/crit_report.c) and the benchmark
 * (tests/bench/bench_scenario.c). The Python and Lua versions
 * (examples/python/project_vault.py, examples/lua/project_vault.lua) build
 * the same scenario from the same numbers; a test compares their output.
 *
 * Every number the public record does not give is an ASSUMPTION, and all
 * of them are in the one table below (pv_assumptions). Public facts used:
 * - Project Vault (announced February 2026): a U.S. strategic stockpile
 *   for manufacturers, financed by a USD 10 billion, 15-year loan from
 *   the Export-Import Bank of the United States and about USD 1.67
 *   billion of private capital; participating firms pay an upfront fee
 *   and carrying costs, hold draw rights, and commit to replenish;
 *   traders procure for it; its target is 60 days of supply.
 * - China's ban on exports of gallium, germanium and antimony to the
 *   United States (December 2024), and its licensing of rare-earth
 *   exports (April and October 2025).
 * - The February 2026 critical minerals ministerial: reference prices
 *   held by adjustable tariffs in a preferential trade zone.
 * - The July 2025 Department of Defense agreement with MP Materials: a
 *   USD 110/kg price floor for NdPr oxide for ten years.
 * - About USD 5 billion of defence investment in critical-mineral
 *   capacity, and a proposed USD 2.5 billion domestic rare-earth
 *   programme.
 *
 * Mapping choices (documented in docs/scenarios.md):
 * - Germanium is not in the default world (USGS withholds world
 *   production), so it is LEFT OUT: the ban covers gallium and antimony.
 * - The default world has rare earths as rare-earth oxide (REO), not
 *   NdPr. The NdPr floor is applied to U.S. REE production converted
 *   honestly: USD 110/kg NdPr oxide times the NdPr share of REO gives the
 *   floor per tonne of REO, and the covered share of U.S. REO output is
 *   the REO that yields the NdPr oxide the agreement covers.
 */
#ifndef CRIT_EXAMPLES_PROJECT_VAULT_H
#define CRIT_EXAMPLES_PROJECT_VAULT_H

#include <crit.h>

#include <stdio.h>
#include <string.h>

/* ---- ASSUMPTIONS: every number not on the public record ---------------- */
static const struct pv_assumptions {
    int32_t start_year, start_month; /* first period */
    int32_t periods;                 /* monthly periods */
    double transport_share;          /* freight on every arc, share of P0 */
    double target_days;              /* the stockpile's target (public: 60) */
    double capacity_over_target;     /* warehouse capacity / target */
    double build_years;       /* years to reach the target at full rate */
    double purchase_trigger;  /* B as a multiple of P0 */
    double release_trigger;   /* T as a multiple of P0 */
    double upfront_fee_share; /* firm's upfront fee, share of the value
                                 of its part of the target */
    double annual_fee_share;  /* firm's annual fee, same basis */
    int32_t traders;          /* trading houses procuring */
    double trader_fee;        /* USD/yr each */
    double loan_amount;       /* public: USD 10 billion */
    int32_t loan_years;       /* public: 15 */
    double loan_rate;         /* annual fixed rate */
    int32_t loan_availability_months; /* draws allowed for this long */
    int32_t loan_amortisation;        /* bullet: principal at maturity */
    double private_capital;           /* public: USD 1.67 billion */
    int32_t ban_start, ban_end;       /* periods of the Ga/Sb ban */
    int32_t licence_start;            /* period REE licensing begins */
    double licence_share;        /* CHN REE export quota, share of CHN s0 */
    double ndpr_floor_usd_per_t; /* public: USD 110/kg NdPr oxide */
    double ndpr_share_of_reo;    /* NdPr oxide per tonne of REO */
    double ndpr_covered_t;       /* NdPr oxide a year under the floor */
    double defence_ga, defence_sb, defence_w;       /* public total: about USD
                                                       5 billion; the split is
                                                       assumed */
    double ga_intensity, sb_intensity, w_intensity; /* USD per t/yr */
    double defence_lead_years;
    double ree_budget; /* public: USD 2.5 billion */
    double ree_intensity, ree_lead_years;
} pv = {
    2026,   2,     120,   0.02, /* 2 % freight per arc */
    60,     1.5,   1.0,   1.05, 1.5,
    0.01,   0.07, /* fees: 1 % upfront; 7 %/yr, the carrying
                     cost: interest and holding */
    3,      5e6,  /* three traders at USD 5 million a year */
    10e9,   15,    0.045, 36,   CRIT_LOAN_BULLET,
    1.67e9, 6,     42,       /* ban from Aug 2026 for three years */
    12,     0.5,             /* licensing from Feb 2027 at half of output */
    110000, 0.20,  1300,     /* 20 % NdPr in REO; 1,300 t NdPr oxide a year */
    1e9,    1.5e9, 2.5e9,    /* defence: Ga, Sb, W */
    1e7,    1e5,   2.5e5, 3, /* 100 t/yr Ga, 15,000 t/yr Sb, 10,000 t/yr W */
    2.5e9,  50000, 4,
};

/* The coalition: the default world's members (the Minerals Security
 * Partnership: USA, EU, JPN, KOR, GBR, CAN, AUS, IND, NOR). */

/* Build the scenario on `w` (which gets freight on every arc). */
static int pv_build(crit_scenario **out, crit_world *w)
{
    int rc;
    size_t M = crit_world_mineral_count(w), E = crit_world_economy_count(w);
    /* freight: the same share of P0 on every arc */
    for (size_t k = 0; k < M; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        if ((rc = crit_world_mineral_get(&m, w, k)))
            return rc;
        for (size_t i = 0; i < E; i++)
            for (size_t j = 0; j < E; j++)
                if (i != j &&
                    (rc = crit_world_set_transport(
                         w, m.code, crit_world_economy_code(w, i),
                         crit_world_economy_code(w, j),
                         pv.transport_share * m.base_price_usd_per_t)))
                    return rc;
    }
    crit_date start;
    if ((rc = crit_date_from_ymd(&start, pv.start_year, pv.start_month, 1)))
        return rc;
    crit_scenario_def sd;
    crit_scenario_def_init(&sd);
    sd.start = start;
    sd.periods = pv.periods;
    crit_scenario *sc = NULL;
    if ((rc = crit_scenario_new(&sc, w, &sd)))
        return rc;

    /* The stockpile holds every mineral the United States imports, sized
     * at 60 days of the participants' demand: one participating
     * manufacturer group per mineral, whose demand is U.S. demand. */
    crit_stockpile_def spd;
    crit_stockpile_def_init(&spd);
    spd.name = "Project Vault";
    spd.economy = "USA";
    spd.cash_usd = pv.private_capital;
    crit_stockpile *sp = NULL;
    if ((rc = crit_stockpile_new(&sp, w, &spd)))
        goto done;
    for (size_t k = 0; k < M; k++) {
        crit_mineral_def m;
        crit_curve_def c;
        crit_mineral_def_init(&m);
        crit_curve_def_init(&c);
        crit_world_mineral_get(&m, w, k);
        crit_world_curve_get(&c, w, "USA", m.code);
        double d = c.base_demand_t_per_yr;
        if (d <= c.base_production_t_per_yr)
            continue; /* not a net importer */
        double p0 = m.base_price_usd_per_t;
        double target = pv.target_days / 365.0 * d;
        crit_stockpile_mineral_def sm;
        crit_stockpile_mineral_def_init(&sm);
        sm.mineral = m.code;
        sm.capacity_t = pv.capacity_over_target * target;
        sm.target_unit = CRIT_TARGET_DAYS_OF_DEMAND;
        sm.target = pv.target_days;
        sm.acquisition_rate_t_per_yr = target / pv.build_years;
        sm.release_rate_t_per_yr = 2 * target; /* empty in six months */
        sm.purchase_trigger_usd_per_t = pv.purchase_trigger * p0;
        sm.release_trigger_usd_per_t = pv.release_trigger * p0;
        if ((rc = crit_stockpile_add_mineral(sp, &sm)))
            goto done;
        char name[64];
        snprintf(name, sizeof name, "%s manufacturers", m.code);
        crit_participant_def pd;
        crit_participant_def_init(&pd);
        pd.name = name;
        pd.mineral = m.code;
        pd.demand_t_per_yr = d;
        pd.upfront_fee_usd = pv.upfront_fee_share * target * p0;
        pd.annual_fee_usd_per_yr = pv.annual_fee_share * target * p0;
        pd.draw_right_t = target / 2;
        pd.draw_price_usd_per_t = p0;
        pd.replenish_rate_t_per_yr = target;
        if ((rc = crit_stockpile_add_participant(NULL, sp, &pd)))
            goto done;
    }
    for (int32_t i = 0; i < pv.traders; i++) {
        char name[32];
        snprintf(name, sizeof name, "trader %d", (int)i + 1);
        crit_participant_def pd;
        crit_participant_def_init(&pd);
        pd.name = name;
        pd.kind = CRIT_PARTICIPANT_TRADER;
        pd.annual_fee_usd_per_yr = pv.trader_fee;
        if ((rc = crit_stockpile_add_participant(NULL, sp, &pd)))
            goto done;
    }
    if ((rc = crit_scenario_add_stockpile(NULL, sc, sp)))
        goto done;

    /* The EXIM loan: drawn on demand, interest only during availability */
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = pv.loan_amount;
    ld.start = start;
    crit_date_add_months(&ld.maturity, start, 12 * pv.loan_years, 0);
    crit_date_add_months(&ld.availability_end, start,
                         pv.loan_availability_months, 0);
    crit_date_add_days(&ld.availability_end, ld.availability_end, -1);
    ld.fixed_rate = pv.loan_rate;
    ld.amortisation = pv.loan_amortisation;
    crit_loan *loan = NULL;
    if ((rc = crit_loan_new(&loan, &ld)))
        goto done;
    rc = crit_scenario_add_loan(NULL, sc, loan, 0);
    crit_loan_free(loan);
    if (rc)
        goto done;

    /* Reference prices at P0 held by adjustable tariffs, for the minerals
     * under restriction */
    const char *restricted[] = {"Ga", "Sb", "REE"};
    for (int i = 0; i < 3; i++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        size_t k;
        crit_world_mineral_index(&k, w, restricted[i]);
        crit_world_mineral_get(&m, w, k);
        crit_policy *pol = NULL;
        if ((rc = crit_policy_new(&pol, w, restricted[i])))
            goto done;
        rc = crit_policy_set_reference_price(pol, m.base_price_usd_per_t);
        if (!rc && !strcmp(restricted[i], "REE")) {
            /* the NdPr floor on U.S. REO */
            crit_curve_def c;
            crit_curve_def_init(&c);
            crit_world_curve_get(&c, w, "USA", "REE");
            crit_floor_def f;
            crit_floor_def_init(&f);
            f.floor_usd_per_t = pv.ndpr_floor_usd_per_t * pv.ndpr_share_of_reo;
            f.covered_share = pv.ndpr_covered_t / pv.ndpr_share_of_reo /
                              c.base_production_t_per_yr;
            rc = crit_policy_set_floor(pol, "USA", &f);
        }
        if (!rc)
            rc = crit_scenario_set_policy(sc, pol);
        crit_policy_free(pol);
        if (rc)
            goto done;
    }

    /* China's ban on Ga and Sb to the United States, then REE licensing */
    const char *banned[] = {"Ga", "Sb"};
    for (int i = 0; i < 2; i++) {
        crit_event_def e;
        crit_event_def_init(&e);
        e.kind = CRIT_EVENT_EXPORT_BAN;
        e.period = pv.ban_start;
        e.mineral = banned[i];
        e.economy = "CHN";
        e.partner = "USA";
        if ((rc = crit_scenario_add_event(sc, &e)))
            goto done;
        e.kind = CRIT_EVENT_EXPORT_BAN_END;
        e.period = pv.ban_end;
        if ((rc = crit_scenario_add_event(sc, &e)))
            goto done;
    }
    crit_curve_def cc;
    crit_curve_def_init(&cc);
    crit_world_curve_get(&cc, w, "CHN", "REE");
    crit_event_def e;
    crit_event_def_init(&e);
    e.kind = CRIT_EVENT_EXPORT_QUOTA;
    e.period = pv.licence_start;
    e.mineral = "REE";
    e.economy = "CHN";
    e.value = pv.licence_share * cc.base_production_t_per_yr;
    if ((rc = crit_scenario_add_event(sc, &e)))
        goto done;

    /* Capacity programmes */
    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.economy = "USA";
    pg.lead_time_years = pv.defence_lead_years;
    const char *dm[] = {"Ga", "Sb", "W"};
    const double db[] = {pv.defence_ga, pv.defence_sb, pv.defence_w};
    const double di[] = {pv.ga_intensity, pv.sb_intensity, pv.w_intensity};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "defence: %s", dm[i]);
        pg.name = name;
        pg.mineral = dm[i];
        pg.budget_usd = db[i];
        pg.capital_intensity_usd_per_t_per_yr = di[i];
        if ((rc = crit_scenario_add_programme(sc, &pg)))
            goto done;
    }
    pg.name = "domestic rare earths";
    pg.mineral = "REE";
    pg.budget_usd = pv.ree_budget;
    pg.capital_intensity_usd_per_t_per_yr = pv.ree_intensity;
    pg.lead_time_years = pv.ree_lead_years;
    rc = crit_scenario_add_programme(sc, &pg);
done:
    crit_stockpile_free(sp);
    if (rc) {
        crit_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return CRIT_OK;
}

#endif /* CRIT_EXAMPLES_PROJECT_VAULT_H */
