/* qpdf's C API (libqpdf-dev): Beacon sets TrimBox and BleedBox on board PDFs with it,
   since Cairo has no call for page boxes. */
#include <qpdf/qpdf-c.h>
