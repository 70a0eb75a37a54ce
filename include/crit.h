/**
 * @file crit.h
 * @brief Umbrella header: include this to use libcrit.
 *
 * libcrit models the critical-minerals supply chain of a coalition of
 * allied economies. See README.md and docs/ for a tour, and MODEL.md for
 * the economics every reported number follows.
 */
#ifndef CRIT_H
#define CRIT_H

#include "crit/common.h"
#include "crit/version.h"
#include "crit/error.h"
#include "crit/alloc.h"
#include "crit/world.h"
#include "crit/io.h"
#include "crit/risk.h"
#include "crit/policy.h"
#include "crit/market.h"
#include "crit/date.h"
#include "crit/loan.h"
#include "crit/data.h"
#include "crit/stockpile.h"
#include "crit/programme.h"
#include "crit/scenario.h"

#endif /* CRIT_H */
