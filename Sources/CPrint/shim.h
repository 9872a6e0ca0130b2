/* Print libraries for Beacon: Pango + Cairo (pkg-config pangocairo) and the
   few librsvg / gdk-pixbuf calls Beacon uses to draw SVG and decode JPEG. Those two are
   declared here from their stable public API so that their own headers (which pull in
   gdk-pixbuf's include path) are not needed. */
#include <pango/pangocairo.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

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
/* Scaled copies (WeChat pictures). GDK_INTERP_HYPER is 3 in gdk-pixbuf's GdkInterpType. */
GdkPixbuf *gdk_pixbuf_new_from_file(const char *filename, GError **error);
GdkPixbuf *gdk_pixbuf_apply_embedded_orientation(GdkPixbuf *src);
GdkPixbuf *gdk_pixbuf_scale_simple(const GdkPixbuf *src, int dest_width, int dest_height, int interp_type);
gboolean gdk_pixbuf_save_to_bufferv(GdkPixbuf *pixbuf, gchar **buffer, gsize *buffer_size, const char *type,
                                    char **option_keys, char **option_values, GError **error);
#define BEACON_INTERP_HYPER 3


/* A PNG from a Cairo RGB24 image surface's pixels: 8-bit RGB, every row unfiltered, the
   whole image one zlib stream from libdeflate at `level`, in IDAT chunks of 1 MiB. Cairo's own
   writer (libpng and zlib at their default level) and then libpng with zlib at level 3 were
   two thirds of a first build's time with WeChat copies; libdeflate makes the same pixels
   into a smaller file in about half the time. On these flat pictures (covers, boards) an
   unfiltered row compressed smallest at every level tried. Returns 0 on success; on failure
   no file is left. */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static inline void beacon_png_be32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC-32 of type and data. */
static inline int beacon_png_chunk(FILE *fp, const char *type, const unsigned char *data, size_t n) {
    unsigned char head[8], tail[4];
    if (n > 0x7fffffffu) return -1;
    beacon_png_be32(head, (uint32_t)n);
    memcpy(head + 4, type, 4);
    uint32_t crc = libdeflate_crc32(0, type, 4);
    if (n) crc = libdeflate_crc32(crc, data, n);
    beacon_png_be32(tail, crc);
    if (fwrite(head, 1, 8, fp) != 8) return -1;
    if (n && fwrite(data, 1, n, fp) != n) return -1;
    return fwrite(tail, 1, 4, fp) == 4 ? 0 : -1;
}

static inline int beacon_write_png(const char *path, const unsigned char *data, int width, int height, int stride, int level) {
    /* Cairo's own limit on an image surface's side; its rows hold at least 4 bytes a pixel. */
    if (width <= 0 || height <= 0 || width > 32767 || height > 32767 || stride < width * 4) return -1;
    size_t row = (size_t)width * 3 + 1, rawSize = row * (size_t)height;
    unsigned char *raw = malloc(rawSize);
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
    size_t bound = z ? libdeflate_zlib_compress_bound(z, rawSize) : 0;
    unsigned char *packed = z ? malloc(bound) : NULL;
    int result = -1;
    FILE *fp = NULL;
    if (!raw || !z || !packed) goto done;
    for (int y = 0; y < height; y++) {
        /* Cairo's RGB24 is a native-endian 32-bit xRGB word. */
        const uint32_t *src = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        unsigned char *out = raw + (size_t)y * row;
        *out++ = 0; /* filter: none */
        for (int x = 0; x < width; x++) {
            uint32_t px = src[x];
            out[0] = (unsigned char)(px >> 16); out[1] = (unsigned char)(px >> 8); out[2] = (unsigned char)px;
            out += 3;
        }
    }
    size_t n = libdeflate_zlib_compress(z, raw, rawSize, packed, bound);
    if (n == 0) goto done;
    unsigned char ihdr[13];
    beacon_png_be32(ihdr, (uint32_t)width);
    beacon_png_be32(ihdr + 4, (uint32_t)height);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (each row says its filter) */
    ihdr[12] = 0; /* not interlaced */
    /* A new file only ("x": never through a name already there, link or file), closed on exec. */
    fp = fopen(path, "wbxe");
    if (!fp) goto done;
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int ok = fwrite(signature, 1, 8, fp) == 8 && beacon_png_chunk(fp, "IHDR", ihdr, 13) == 0;
    /* The stream in IDAT chunks of at most 1 MiB (a chunk may hold 2^31 - 1 bytes). */
    for (size_t at = 0; ok && at < n; at += (size_t)1 << 20) {
        size_t part = n - at < ((size_t)1 << 20) ? n - at : ((size_t)1 << 20);
        ok = beacon_png_chunk(fp, "IDAT", packed + at, part) == 0;
    }
    ok = ok && beacon_png_chunk(fp, "IEND", NULL, 0) == 0;
    if (fclose(fp) != 0) ok = 0;
    /* The file is this call's own ("x"): a part of one is not left behind. */
    if (ok) result = 0; else unlink(path);
done:
    free(raw);
    free(packed);
    if (z) libdeflate_free_compressor(z);
    return result;
}
