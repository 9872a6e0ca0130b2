/* Print libraries for Beacon: Pango + Cairo (pkg-config pangocairo), libqrencode, and the
   few librsvg / gdk-pixbuf calls Beacon uses to draw SVG and decode JPEG. Those two are
   declared here from their stable public API so that their own headers (which pull in
   gdk-pixbuf's include path) are not needed. */
#include <pango/pangocairo.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <qrencode.h>

typedef struct _RsvgHandle RsvgHandle;
typedef struct {
    double x;
    double y;
    double width;
    double height;
} RsvgRectangle;
RsvgHandle *rsvg_handle_new_from_data(const guint8 *data, gsize data_len, GError **error);
gboolean rsvg_handle_get_intrinsic_size_in_pixels(RsvgHandle *handle, gdouble *out_width, gdouble *out_height);
gboolean rsvg_handle_render_document(RsvgHandle *handle, cairo_t *cr, const RsvgRectangle *viewport, GError **error);

typedef struct _GdkPixbuf GdkPixbuf;
typedef struct _GdkPixbufLoader GdkPixbufLoader;
GdkPixbufLoader *gdk_pixbuf_loader_new(void);
gboolean gdk_pixbuf_loader_write(GdkPixbufLoader *loader, const guchar *buf, gsize count, GError **error);
gboolean gdk_pixbuf_loader_close(GdkPixbufLoader *loader, GError **error);
GdkPixbuf *gdk_pixbuf_loader_get_pixbuf(GdkPixbufLoader *loader);
int gdk_pixbuf_get_width(const GdkPixbuf *pixbuf);
int gdk_pixbuf_get_height(const GdkPixbuf *pixbuf);
int gdk_pixbuf_get_rowstride(const GdkPixbuf *pixbuf);
int gdk_pixbuf_get_n_channels(const GdkPixbuf *pixbuf);
gboolean gdk_pixbuf_get_has_alpha(const GdkPixbuf *pixbuf);
const guint8 *gdk_pixbuf_read_pixels(const GdkPixbuf *pixbuf);

/* libqrencode's encoder with a given mask (exported by the library, declared in its
   qrencode_inner.h, which Debian does not install). Web pages use it to skip the evaluation
   of all eight masks, which is most of the encoder's time; any mask gives a valid code. */
QRcode *QRcode_encodeMask(QRinput *input, int mask);
