/* libxml2 for Beacon. Debian builds libxml2 with ICU, whose headers clash with the
   ICU copy inside Swift's Foundation. Beacon never touches libxml2's ICU converters
   (only trailing pointer members of xmlCharEncodingHandler depend on it), so the
   ICU part of the headers is switched off here. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
