/* GLib's SHA-256 (GChecksum) for the build cache's fingerprints. GLib comes with Pango; the
   outputs below BeaconPrint (the site) need only this part of it. */
#include <glib.h>
