/* risk.i: supply-risk indicators (crit/risk.h). */

%apply double *CRIT_OUT { double *out, double *out_share };
%apply size_t *CRIT_OUT { size_t *out_economy };

%include "crit/risk.h"
