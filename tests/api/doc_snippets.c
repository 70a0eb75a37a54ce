/*
 * The C snippets of the documentation compile and run: docs/model.md,
 * docs/scenarios.md and docs/stockpiles.md, each document's ```c blocks in
 * order (doc_blocks.py writes them to doc_<name>.inc at build time, with
 * #line directives into the document). Each test defines the names its
 * document assumes (a world, a policy, a stockpile, ...) as the document
 * describes them, runs the blocks, and checks that every call in them
 * succeeded (a failed call leaves its message in crit_error_last()) and
 * that they built what the document says. The README's C program runs
 * apart (tests/python/test_readme.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <crit.h>
#include <string.h>

/* Nothing failed since crit_error_clear(): a failed call records its
 * message, a successful one records none. */
static void no_call_failed(const char *doc)
{
    if (crit_error_last_code() != CRIT_OK || crit_error_last()[0] != '\0')
        fail_msg("%s: a call failed: %s", doc, crit_error_last());
}

/* docs/model.md's worked example world: five economies, one mineral */
static crit_world *model_world(void)
{
    static const char *codes[] = {"CHN", "ROW", "USA", "JPN", "EU"};
    static const double c[5][5] = {{700, 900, 0.5, 300, 0.4},
                                   {40, 60, 0.6, 60, 0.4},
                                   {10, 30, 0.8, 120, 0.3},
                                   {20, 40, 0.8, 150, 0.3},
                                   {30, 50, 0.8, 160, 0.3}};
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.base_price_usd_per_t = 600000;
    assert_int_equal(crit_world_add_mineral(w, &md), CRIT_OK);
    for (int i = 0; i < 5; i++) {
        crit_economy_def ed;
        crit_economy_def_init(&ed);
        ed.code = codes[i];
        ed.member = i >= 2;
        assert_int_equal(crit_world_add_economy(w, &ed), CRIT_OK);
        crit_curve_def cd;
        crit_curve_def_init(&cd);
        cd.base_production_t_per_yr = c[i][0];
        cd.capacity_t_per_yr = c[i][1];
        cd.supply_elasticity = c[i][2];
        cd.base_demand_t_per_yr = c[i][3];
        cd.demand_elasticity = c[i][4];
        assert_int_equal(crit_world_set_curve(w, codes[i], "Ga", &cd), CRIT_OK);
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            if (i != j)
                assert_int_equal(crit_world_set_transport(w, "Ga", codes[i],
                                                          codes[j], 20000),
                                 CRIT_OK);
    return w;
}

/* docs/model.md: a market on the worked example's world with its
 * policy (the reference price of its last step), solved */
static void test_doc_model(void **state)
{
    (void)state;
    crit_world *world = model_world();
    crit_policy *policy = NULL;
    assert_int_equal(crit_policy_new(&policy, world, "Ga"), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(policy, 600000), CRIT_OK);
    crit_error_clear();
#include "doc_model.inc"
    no_call_failed("docs/model.md");
    crit_policy_free(policy);
    crit_world_free(world);
}

/* docs/scenarios.md: a 120-month scenario on the default world with a
 * stockpile, its loan, a policy, a programme and an event */
static void test_doc_scenarios(void **state)
{
    (void)state;
    crit_world *world = NULL;
    assert_int_equal(crit_world_default(&world), CRIT_OK);
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.name = "vault";
    sd.economy = "USA";
    sd.cash_usd = 1.67e9;
    crit_stockpile *vault = NULL;
    assert_int_equal(crit_stockpile_new(&vault, world, &sd), CRIT_OK);
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 10e9;
    assert_int_equal(crit_date_from_ymd(&ld.start, 2026, 2, 1), CRIT_OK);
    assert_int_equal(crit_date_from_ymd(&ld.maturity, 2041, 2, 1), CRIT_OK);
    assert_int_equal(crit_date_from_ymd(&ld.availability_end, 2029, 2, 1),
                     CRIT_OK);
    ld.fixed_rate = 0.045;
    crit_loan *exim_loan = NULL;
    assert_int_equal(crit_loan_new(&exim_loan, &ld), CRIT_OK);
    crit_policy *ree_policy = NULL;
    assert_int_equal(crit_policy_new(&ree_policy, world, "REE"), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(ree_policy, 1000),
                     CRIT_OK);
    crit_programme_def rare_earth_agency;
    crit_programme_def_init(&rare_earth_agency);
    rare_earth_agency.name = "rare-earth agency";
    rare_earth_agency.economy = "USA";
    rare_earth_agency.mineral = "REE";
    rare_earth_agency.budget_usd = 2.5e9;
    rare_earth_agency.capital_intensity_usd_per_t_per_yr = 1e5;
    rare_earth_agency.lead_time_years = 3;
    crit_event_def ban;
    crit_event_def_init(&ban);
    ban.period = 6;
    ban.kind = CRIT_EVENT_EXPORT_BAN;
    ban.mineral = "Ga";
    ban.economy = "CHN";
    ban.partner = "USA";
    crit_error_clear();
#include "doc_scenarios.inc"
    no_call_failed("docs/scenarios.md");
    size_t stockpiles = 0, loans = 0;
    assert_int_equal(crit_scenario_counts(&stockpiles, &loans, sc), CRIT_OK);
    assert_int_equal(stockpiles, 1);
    assert_int_equal(loans, 1);
    crit_scenario_free(sc);
    crit_policy_free(ree_policy);
    crit_loan_free(exim_loan);
    crit_stockpile_free(vault);
    crit_world_free(world);
}

/* docs/stockpiles.md: Project Vault's gallium and its manufacturers */
static void test_doc_stockpiles(void **state)
{
    (void)state;
    crit_world *world = NULL;
    assert_int_equal(crit_world_default(&world), CRIT_OK);
    crit_error_clear();
#include "doc_stockpiles.inc"
    no_call_failed("docs/stockpiles.md");
    assert_int_equal(crit_stockpile_mineral_count(sp), 1);
    assert_int_equal(crit_stockpile_participant_count(sp), 1);
    crit_stockpile_mineral_def got;
    crit_stockpile_mineral_def_init(&got);
    assert_int_equal(crit_stockpile_mineral_get(&got, sp, 0), CRIT_OK);
    assert_string_equal(got.mineral, "Ga");
    assert_true(got.capacity_t == 4.7);
    crit_participant_def pd;
    crit_participant_def_init(&pd);
    assert_int_equal(crit_stockpile_participant_get(&pd, sp, 0), CRIT_OK);
    assert_string_equal(pd.name, "Ga manufacturers");
    crit_stockpile_free(sp);
    crit_world_free(world);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_model),
        cmocka_unit_test(test_doc_scenarios),
        cmocka_unit_test(test_doc_stockpiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
