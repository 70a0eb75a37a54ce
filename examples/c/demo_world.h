/*
 * A small demonstration world defined in C: three minerals, eight
 * economies. Its numbers are rounded, illustrative values in the spirit of
 * USGS Mineral Commodity Summaries 2025 (mine production by country); they
 * are not the calibrated default world.
 */
#ifndef CRIT_DEMO_WORLD_H
#define CRIT_DEMO_WORLD_H

#include <crit.h>

/* Build the demonstration world into *out. Returns a crit status code. */
int crit_demo_world(crit_world **out);

#endif
