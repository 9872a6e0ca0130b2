/* Nettle's SHA-256 for the build cache's fingerprints. Debian builds Nettle "fat": it picks the
   CPU's SHA instructions at run time (about four times GLib's GChecksum on this machine). */
#include <nettle/sha2.h>
