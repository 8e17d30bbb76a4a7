/* bind_views.c: "views.core", what the training views (lua/views.lua) need from the
 * viz beyond plot.lua: reading back the pixels of a PNG, so that tests can check what
 * a rendered view shows (a trained XOR net's surface has each class colour in the
 * right quadrants). Decoding is viz_png_read's; this only exposes the pixels. */
#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>

#include "bind.h"
#include "viz.h"

#define IMAGE_MT "nnlab.png_image"

typedef struct image_ud {
    uint32_t *argb; /* w*h pixels, row 0 at the top; NULL once freed */
    int w, h;
} image_ud;

static image_ud *checkimage(lua_State *L, int arg) {
    image_ud *u = luaL_checkudata(L, arg, IMAGE_MT);
    if (!u->argb) luaL_argerror(L, arg, "image was freed");
    return u;
}

static int image_release(lua_State *L) {
    image_ud *u = luaL_checkudata(L, 1, IMAGE_MT);
    free(u->argb);
    u->argb = NULL;
    return 0;
}

/* read_png(path) -> image, or nil and the reason when the file is not a readable PNG.
 * The userdata exists (empty) before decoding, so an error leaks nothing. */
static int w_read_png(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    image_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->argb = NULL;
    u->w = u->h = 0;
    luaL_setmetatable(L, IMAGE_MT);
    char err[256];
    if (viz_png_read(path, &u->argb, &u->w, &u->h, err, sizeof err) != VIZ_OK) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    return 1;
}

/* img:size() -> w, h */
static int m_size(lua_State *L) {
    image_ud *u = checkimage(L, 1);
    lua_pushinteger(L, u->w);
    lua_pushinteger(L, u->h);
    return 2;
}

/* img:pixel(x, y) -> r, g, b (0..255) of column x, row y, 0-based from the top left. */
static int m_pixel(lua_State *L) {
    image_ud *u = checkimage(L, 1);
    if (u->w < 1 || u->h < 1) return luaL_error(L, "the image is empty");
    lua_Integer x = bind_checkint(L, 2, "x (column, 0-based)", 0, u->w - 1);
    lua_Integer y = bind_checkint(L, 3, "y (row, 0-based)", 0, u->h - 1);
    uint32_t p = u->argb[(size_t)y * (size_t)u->w + (size_t)x];
    lua_pushinteger(L, (p >> 16) & 0xff);
    lua_pushinteger(L, (p >> 8) & 0xff);
    lua_pushinteger(L, p & 0xff);
    return 3;
}

static const luaL_Reg funcs[] = {
    {"read_png", w_read_png},
    {NULL, NULL},
};

static const luaL_Reg methods[] = {
    {"size", m_size},
    {"pixel", m_pixel},
    {"free", image_release},
    {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
    {"__gc", image_release},
    {"__close", image_release},
    {NULL, NULL},
};

int bind_open_views(lua_State *L) {
    if (luaL_newmetatable(L, IMAGE_MT)) {
        luaL_setfuncs(L, metamethods, 0);
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    luaL_newlib(L, funcs);
    return 1;
}
