/* libqrencode for Beacon's QR codes (web pages, books, boards). */
#include <qrencode.h>

/* libqrencode's encoder with a given mask (exported by the library, declared in its
   qrencode_inner.h, which Debian does not install). Web pages use it to skip the evaluation
   of all eight masks, which is most of the encoder's time; any mask gives a valid code. */
QRcode *QRcode_encodeMask(QRinput *input, int mask);
