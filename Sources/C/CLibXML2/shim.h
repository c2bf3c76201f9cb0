#ifndef YEARBOOK_CLIBXML2_SHIM_H
#define YEARBOOK_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its UErrorCode clashes with the ICU that
// Foundation bundles in debug builds. We never use libxml2's ICU support.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#endif
