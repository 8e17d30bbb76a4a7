/* test_gif.c: animated GIFs read back through giflib's own reader: frame count, size,
 * delay and loop extension as asked, flat colours exact (a frame that changes a little
 * writes only that rectangle), a frame of many colours close
 * and its flat areas exact; a bad path and a frame of another size are refused. */
#include <string.h>
#include <unistd.h>

#include <gif_lib.h>

#include "vizt.h"

enum { W = 40, H = 30, FRAMES = 4, DELAY = 7 };

static void tmp_gif(char *path) {
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
}

/* Frame k: a left half, a right half and a stripe, each a flat colour; the last frame
 * is the one before with a 3 x 2 block changed. */
static void flat_frame(uint32_t *px, int k) {
    if (k == FRAMES - 1) {
        flat_frame(px, k - 1);
        for (int y = 20; y < 22; y++)
            for (int x = 5; x < 8; x++) px[y * W + x] = 0xff00ffffu;
        return;
    }
    static const uint32_t cols[FRAMES - 1][3] = {{0xff0000, 0x00ff00, 0x123456},
                                                 {0xffffff, 0x000000, 0xfe0102},
                                                 {0x0072b2, 0xe69f00, 0x440154}};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            px[y * W + x] = 0xff000000u | (y == 10 ? cols[k][2] : cols[k][x < W / 2 ? 0 : 1]);
}

/* Draws image i of a slurped GIF over px (the previous frame), as a viewer does: its
 * rectangle only, skipping its transparent index. */
static void read_image(GifFileType *f, int i, uint32_t *px) {
    SavedImage *im = &f->SavedImages[i];
    GifImageDesc *d = &im->ImageDesc;
    assert_true(d->Left >= 0 && d->Top >= 0 && d->Left + d->Width <= f->SWidth &&
                d->Top + d->Height <= f->SHeight);
    ColorMapObject *map = d->ColorMap ? d->ColorMap : f->SColorMap;
    assert_non_null(map);
    GraphicsControlBlock gcb;
    assert_int_equal(DGifSavedExtensionToGCB(f, i, &gcb), GIF_OK);
    for (int y = 0; y < d->Height; y++)
        for (int x = 0; x < d->Width; x++) {
            int k = im->RasterBits[y * d->Width + x];
            if (k == gcb.TransparentColor) continue;
            GifColorType c = map->Colors[k];
            px[(d->Top + y) * f->SWidth + d->Left + x] =
                0xff000000u | (uint32_t)c.Red << 16 | (uint32_t)c.Green << 8 | c.Blue;
        }
}

/* The NETSCAPE2.0 loop count, or -1 when there is none (it is saved before image 0). */
static int loop_count(GifFileType *f) {
    SavedImage *im = &f->SavedImages[0];
    for (int i = 0; i + 1 < im->ExtensionBlockCount; i++) {
        ExtensionBlock *b = &im->ExtensionBlocks[i], *n = b + 1;
        if (b->Function == APPLICATION_EXT_FUNC_CODE && b->ByteCount == 11 &&
            !memcmp(b->Bytes, "NETSCAPE2.0", 11) && n->ByteCount == 3 && n->Bytes[0] == 1)
            return n->Bytes[1] | n->Bytes[2] << 8;
    }
    return -1;
}

static GifFileType *slurp(const char *path) {
    int e = 0;
    GifFileType *f = DGifOpenFileName(path, &e);
    if (!f) fail_msg("DGifOpenFileName %s: %s", path, GifErrorString(e));
    if (DGifSlurp(f) != GIF_OK) fail_msg("DGifSlurp %s: %s", path, GifErrorString(f->Error));
    return f;
}

static void test_gif_flat_frames_read_back_exactly(void **state) {
    (void)state;
    char path[] = "/tmp/nnlab-gif-flat-XXXXXX.gif", err[256];
    tmp_gif(path);
    viz_gif *g = viz_gif_open(path, W, H, DELAY, 0, err, sizeof err);
    if (!g) fail_msg("open: %s", err);
    uint32_t px[FRAMES][W * H], back[W * H];
    for (int k = 0; k < FRAMES; k++) {
        flat_frame(px[k], k);
        assert_int_equal(viz_gif_add(g, px[k], W, H), VIZ_OK);
    }
    assert_int_equal(viz_gif_frames(g), FRAMES);
    assert_int_equal(viz_gif_close(g, err, sizeof err), VIZ_OK);

    GifFileType *f = slurp(path);
    assert_int_equal(f->ImageCount, FRAMES);
    assert_int_equal(f->SWidth, W);
    assert_int_equal(f->SHeight, H);
    assert_int_equal(loop_count(f), 0);
    for (int k = 0; k < FRAMES; k++) {
        GraphicsControlBlock gcb;
        assert_int_equal(DGifSavedExtensionToGCB(f, k, &gcb), GIF_OK);
        assert_int_equal(gcb.DelayTime, DELAY);
        read_image(f, k, back);
        if (k == FRAMES - 1) { /* only what changed is written */
            GifImageDesc *d = &f->SavedImages[k].ImageDesc;
            assert_int_equal(d->Left, 5);
            assert_int_equal(d->Top, 20);
            assert_int_equal(d->Width, 3);
            assert_int_equal(d->Height, 2);
        }
        for (int j = 0; j < W * H; j++)
            if (back[j] != px[k][j])
                fail_msg("frame %d pixel (%d, %d): %06x, written %06x", k, j % W, j / W,
                         back[j] & 0xffffff, px[k][j] & 0xffffff);
    }
    int e;
    DGifCloseFile(f, &e);
    unlink(path);
}

/* A colour-map gradient of 3 x 256 colours above a flat band, as a field plot has. */
static void test_gif_many_colours_stay_close_flat_areas_exact(void **state) {
    (void)state;
    enum { GW = 768, GH = 64 };
    char path[] = "/tmp/nnlab-gif-many-XXXXXX.gif", err[256];
    tmp_gif(path);
    viz_gif *g = viz_gif_open(path, GW, GH, 5, 3, err, sizeof err);
    if (!g) fail_msg("open: %s", err);
    uint32_t *px = malloc(GW * GH * 4), *back = malloc(GW * GH * 4);
    for (int y = 0; y < GH; y++)
        for (int x = 0; x < GW; x++) {
            uint32_t c = cmap_viridis(x / (GW - 1.0));
            px[y * GW + x] = y < GH / 2 ? c : x < GW / 2 ? 0xfff7f7f7u : 0xffcc79a7u;
        }
    assert_int_equal(viz_gif_add(g, px, GW, GH), VIZ_OK);
    assert_int_equal(viz_gif_close(g, err, sizeof err), VIZ_OK);
    GifFileType *f = slurp(path);
    assert_int_equal(f->ImageCount, 1);
    assert_int_equal(loop_count(f), 3);
    read_image(f, 0, back);
    int worst = 0;
    for (int j = 0; j < GW * GH; j++) {
        int d = vt_dist(back[j], px[j]);
        if (j >= GW * GH / 2 && d) fail_msg("flat pixel %d: %06x, written %06x", j, back[j], px[j]);
        if (d > worst) worst = d;
    }
    if (worst > 6) fail_msg("gradient off by %d of 255 at worst", worst);
    int e;
    DGifCloseFile(f, &e);
    free(px), free(back);
    unlink(path);
}

static void test_gif_refuses_bad_path_and_other_sizes(void **state) {
    (void)state;
    char err[256] = "";
    assert_null(viz_gif_open("/nonexistent-dir/race.gif", W, H, 5, 0, err, sizeof err));
    if (!strstr(err, "/nonexistent-dir/race.gif")) fail_msg("message: %s", err);
    assert_null(viz_gif_open("/tmp/x.gif", 0, H, 5, 0, err, sizeof err));
    if (!strstr(err, "0 x 30")) fail_msg("message: %s", err);

    char path[] = "/tmp/nnlab-gif-size-XXXXXX.gif";
    tmp_gif(path);
    viz_gif *g = viz_gif_open(path, W, H, 5, -1, err, sizeof err);
    if (!g) fail_msg("open: %s", err);
    uint32_t px[W * H];
    flat_frame(px, 0);
    assert_int_equal(viz_gif_add(g, px, W, H - 1), VIZ_EINVAL);
    if (!strstr(viz_gif_error(g), "40 x 29") || !strstr(viz_gif_error(g), "40 x 30"))
        fail_msg("message: %s", viz_gif_error(g));
    assert_int_equal(viz_gif_frames(g), 0);
    assert_int_equal(viz_gif_add(g, px, W, H), VIZ_OK);
    assert_int_equal(viz_gif_close(g, err, sizeof err), VIZ_OK);
    GifFileType *f = slurp(path);
    assert_int_equal(f->ImageCount, 1);
    assert_int_equal(loop_count(f), -1);
    int e;
    DGifCloseFile(f, &e);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gif_flat_frames_read_back_exactly),
        cmocka_unit_test(test_gif_many_colours_stay_close_flat_areas_exact),
        cmocka_unit_test(test_gif_refuses_bad_path_and_other_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
