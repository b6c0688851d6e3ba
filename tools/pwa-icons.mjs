#!/usr/bin/env node
// Renders the web app's PNG icons (manifest, Apple touch icon) from apps/web/public/favicon.svg.
// The PNGs are committed; run this again after changing the SVG: `node tools/pwa-icons.mjs`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const publicDir = join(import.meta.dirname, '..', 'apps', 'web', 'public');
const svg = readFileSync(join(publicDir, 'favicon.svg'));
const brand = '#4f46e5';

/** The icon as drawn, edge to edge (its own rounded corners). */
async function plain(size, file) {
  await sharp(svg, { density: (72 * size) / 64 })
    .resize(size, size)
    .png()
    .toFile(join(publicDir, 'icons', file));
}

/**
 * A maskable icon: the launcher crops to a circle or squircle of 80 % of the side, so the glyph
 * sits inside that safe zone on a full-bleed brand background.
 */
async function maskable(size, file) {
  const inner = Math.round(size * 0.7);
  const glyph = await sharp(svg, { density: (72 * inner) / 64 })
    .resize(inner, inner)
    .png()
    .toBuffer();
  await sharp({ create: { width: size, height: size, channels: 4, background: brand } })
    .composite([{ input: glyph, gravity: 'center' }])
    .png()
    .toFile(join(publicDir, 'icons', file));
}

await plain(192, 'icon-192.png');
await plain(512, 'icon-512.png');
await maskable(512, 'maskable-512.png');
await maskable(180, 'apple-touch-icon.png');
console.log('icons written to apps/web/public/icons');
