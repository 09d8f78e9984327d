#ifndef ACCORD_H
#define ACCORD_H

/* The whole public API of libaccord, layered util -> crypto -> entry -> store -> ledger. */
#include "accord/error.h"
#include "accord/name.h"
#include "accord/global.h"
#include "accord/buf.h"
#include "accord/timefmt.h"
#include "accord/hours.h"
#include "accord/idmap.h"
#include "accord/key.h"
#include "accord/entry.h"
#include "accord/store.h"
#include "accord/agreement.h"
#include "accord/party.h"
#include "accord/ledger.h"
#include "accord/incident.h"
#include "accord/clock.h"
#include "accord/inbox.h"
#include "accord/audit.h"
#include "accord/report.h"
#include "accord/sync.h"
#include "accord/ledgers.h"

#endif
