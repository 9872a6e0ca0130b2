/* zlib's CRC-32, for the print shop's ZIP (entries are stored: PDFs are compressed already). */
#include <zlib.h>
